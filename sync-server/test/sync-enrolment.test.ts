import {
  decodeSyncPublicKey,
  enrolmentBindingKey,
  enrolmentCodeId,
  generateDeviceKeyPair,
  newSyncNonce,
  ready,
  toBase64Url,
  verifyEnrolmentMac,
  verifySync,
} from '@ticketgate/crypto';
import { sync } from '@ticketgate/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, createTestApp, demoUser, type TestApp } from './helpers/app.js';
import { enrolGate, enrolmentCode, operatorHeaders, upcomingEvent } from './helpers/sync.js';

describe('gate enrolment and device credentials', () => {
  let t: TestApp;
  let boxKey: string;
  beforeAll(async () => {
    t = await createTestApp({ seed: true });
    await ready();
    boxKey = toBase64Url(generateDeviceKeyPair().publicKey);
  });
  afterAll(async () => t.close());

  const enrol = (code: string, name = 'Gate 1', key = boxKey, headers: Record<string, string> = {}) =>
    t.app.inject({
      method: 'POST',
      url: '/api/sync/enrol',
      headers,
      payload: { code_id: enrolmentCodeId(code), name, box_public_key: key, app_version: '0.1.0' },
    });

  it('authenticates the reply with the code: a MAC keyed from the code and the signature of the sync key it names', async () => {
    const code = await enrolmentCode(t);
    const nonce = newSyncNonce();
    const res = await enrol(code, 'Bound Gate', boxKey, { [sync.NONCE_HEADER]: nonce });
    expect(res.statusCode).toBe(200);
    const body = Buffer.from(res.rawPayload);
    const d = sync.EnrolResponse.parse(res.json().data);
    const syncKey = decodeSyncPublicKey(d.sync_key);
    expect(syncKey.kid).toBe((await t.ctx.syncKeys.activeKey()).kid);
    expect(verifyEnrolmentMac(enrolmentBindingKey(code), nonce, body, String(res.headers[sync.ENROL_MAC_HEADER]))).toBe(true);
    expect(verifySync(syncKey, String(res.headers[sync.SIGNATURE_HEADER]), 'enrol', nonce, body)).toEqual({ ok: true });
    // Someone without the code (another code, another nonce, a changed byte) cannot produce or reuse that MAC.
    expect(verifyEnrolmentMac(enrolmentBindingKey('AAAA-BBBB-CCCC-DDDD'), nonce, body, String(res.headers[sync.ENROL_MAC_HEADER]))).toBe(
      false,
    );
    expect(verifyEnrolmentMac(enrolmentBindingKey(code), newSyncNonce(), body, String(res.headers[sync.ENROL_MAC_HEADER]))).toBe(false);
    const changed = Buffer.from(body);
    changed[changed.length - 3]! ^= 1;
    expect(verifyEnrolmentMac(enrolmentBindingKey(code), nonce, changed, String(res.headers[sync.ENROL_MAC_HEADER]))).toBe(false);
    // The code itself is not what the gate sends (nor what the server accepts).
    const plain = await t.app.inject({ method: 'POST', url: '/api/sync/enrol', payload: { code, name: 'x', box_public_key: boxKey } });
    expect(plain.json().error_code).toBe('VALIDATION_ERROR');
    const bad = await enrol(await enrolmentCode(t), 'x', boxKey, { [sync.NONCE_HEADER]: 'short' });
    expect(bad.json().error_code).toBe('VALIDATION_ERROR');
  });

  it('only operators create enrolment codes, for halls that exist; only the hash is stored', async () => {
    const fan = await demoUser(t, DEMO.fan);
    const staff = await demoUser(t, DEMO.staff);
    for (const u of [fan, staff]) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/sync/enrolments',
        headers: { authorization: `Bearer ${u.token}` },
        payload: { hall_id: 'HALL-A' },
      });
      expect(res.statusCode).toBe(403);
      expect(res.json().error_code).toBe('FORBIDDEN');
    }
    const none = await t.app.inject({ method: 'POST', url: '/api/sync/enrolments', payload: { hall_id: 'HALL-A' } });
    expect(none.json().error_code).toBe('UNAUTHORIZED');
    const missing = await t.app.inject({
      method: 'POST',
      url: '/api/sync/enrolments',
      headers: await operatorHeaders(t),
      payload: { hall_id: 'HALL-Z' },
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error_code).toBe('HALL_NOT_FOUND');

    const res = await t.app.inject({
      method: 'POST',
      url: '/api/sync/enrolments',
      headers: await operatorHeaders(t),
      payload: { hall_id: 'HALL-B', ttl_minutes: 30 },
    });
    expect(res.statusCode).toBe(201);
    const data = sync.CreateEnrolmentResponse.parse(res.json().data);
    expect(data.hall_id).toBe('HALL-B');
    expect(Date.parse(data.expires_at) - t.clock.now()).toBeGreaterThan(29 * 60_000);
    expect(Date.parse(data.expires_at) - t.clock.now()).toBeLessThanOrEqual(30 * 60_000);
    const { rows } = await t.ctx.pool.query<{ code_hash: string }>('SELECT code_hash FROM enrolment_codes');
    expect(rows.map((r) => r.code_hash)).not.toContain(data.code);
    expect(JSON.stringify(rows)).not.toContain(data.code.replaceAll('-', ''));
  });

  it("a code enrols exactly one gate, in the code's hall, and the server keeps only the token hash", async () => {
    const code = await enrolmentCode(t, 'HALL-B');
    const first = await enrol(code.toLowerCase().replaceAll('-', ' '), 'Theatre Gate');
    expect(first.statusCode).toBe(200);
    const d = sync.EnrolResponse.parse(first.json().data);
    expect(d.hall_id).toBe('HALL-B');
    const again = await enrol(code);
    expect(again.statusCode).toBe(401);
    expect(again.json().error_code).toBe('ENROLMENT_INVALID');

    const { rows } = await t.ctx.pool.query(
      'SELECT name, hall_id, token_hash, box_public_key, status, app_version FROM devices WHERE id = $1',
      [d.device_id],
    );
    expect(rows[0]).toMatchObject({
      name: 'Theatre Gate',
      hall_id: 'HALL-B',
      box_public_key: boxKey,
      status: 'ACTIVE',
      app_version: '0.1.0',
    });
    expect(rows[0].token_hash).not.toContain(d.device_token);
    const used = await t.ctx.pool.query('SELECT used_at, device_id FROM enrolment_codes WHERE device_id = $1', [d.device_id]);
    expect(used.rowCount).toBe(1);
  });

  it('two gates racing with one code: exactly one is enrolled', async () => {
    const code = await enrolmentCode(t);
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => enrol(code, `Racer ${i}`)));
    expect(results.filter((r) => r.statusCode === 200)).toHaveLength(1);
    expect(results.filter((r) => r.json().error_code === 'ENROLMENT_INVALID')).toHaveLength(5);
    const { rows } = await t.ctx.pool.query(`SELECT count(*)::int AS n FROM devices WHERE name LIKE 'Racer %'`);
    expect(rows[0].n).toBe(1);
  });

  it('an expired code is refused', async () => {
    const code = await enrolmentCode(t, 'HALL-A', 5);
    t.clock.advance(5 * 60_000 + 1000);
    try {
      const res = await enrol(code);
      expect(res.statusCode).toBe(401);
      expect(res.json().error_code).toBe('ENROLMENT_INVALID');
    } finally {
      t.clock.real();
    }
  });

  it('refuses unknown codes and keys that are not X25519 public keys', async () => {
    expect((await enrol('AAAA-BBBB-CCCC-DDDD')).json().error_code).toBe('ENROLMENT_INVALID');
    const code = await enrolmentCode(t);
    const bad = await enrol(code, 'Gate', 'x'.repeat(44));
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error_code).toBe('VALIDATION_ERROR');
    // The refused attempt did not burn the code.
    expect((await enrol(code)).statusCode).toBe(200);
  });

  it('device routes take a device token, never a user token', async () => {
    const admin = await demoUser(t, DEMO.admin);
    for (const headers of [{}, { authorization: `Bearer ${admin.token}` }, { authorization: 'Bearer tgd_not-a-real-token' }]) {
      const res = await t.app.inject({ method: 'GET', url: '/api/sync/hall', headers });
      expect(res.statusCode).toBe(401);
      expect(res.json().error_code).toBe('UNAUTHORIZED');
    }
    const gate = await enrolGate(t);
    expect((await t.app.inject({ method: 'GET', url: '/api/sync/hall', headers: gate.headers })).statusCode).toBe(200);
    // And operator routes never take a device token.
    const asDevice = await t.app.inject({ method: 'GET', url: '/api/sync/devices', headers: gate.headers });
    expect(asDevice.statusCode).toBe(401);
  });

  it('a revoked device is refused at once on every device call', async () => {
    const gate = await enrolGate(t, { name: 'Doomed' });
    const event = await upcomingEvent(t);
    const calls = [
      { method: 'GET' as const, url: '/api/sync/hall' },
      { method: 'GET' as const, url: `/api/sync/events/${event}/seats?since=0` },
      { method: 'POST' as const, url: '/api/sync/scans', payload: { scans: [], backlog: 0, clock_offset_ms: null } },
      { method: 'GET' as const, url: '/api/sync/stream' },
    ];
    for (const c of calls.slice(0, 3)) expect((await t.app.inject({ ...c, headers: gate.headers })).statusCode).toBe(200);

    const revoke = await t.app.inject({
      method: 'POST',
      url: `/api/sync/devices/${gate.deviceId}/revoke`,
      headers: await operatorHeaders(t),
    });
    expect(revoke.statusCode).toBe(200);
    const view = sync.DeviceView.parse(revoke.json().data);
    expect(view).toMatchObject({ device_id: gate.deviceId, status: 'REVOKED', name: 'Doomed' });
    expect(view.revoked_at).not.toBeNull();

    for (const c of calls) {
      const res = await t.app.inject({ ...c, headers: gate.headers });
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ success: false, error_code: 'DEVICE_REVOKED' });
    }
    // Revoking again is harmless.
    const again = await t.app.inject({
      method: 'POST',
      url: `/api/sync/devices/${gate.deviceId}/revoke`,
      headers: await operatorHeaders(t),
    });
    expect(again.json().data.revoked_at).toBe(view.revoked_at);
  });

  it('revoking an unknown device answers NOT_FOUND; a malformed id INVALID_UUID; fans may not revoke', async () => {
    const op = await operatorHeaders(t);
    const missing = await t.app.inject({
      method: 'POST',
      url: '/api/sync/devices/00000000-0000-4000-8000-000000000000/revoke',
      headers: op,
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error_code).toBe('NOT_FOUND');
    const bad = await t.app.inject({ method: 'POST', url: '/api/sync/devices/nope/revoke', headers: op });
    expect(bad.json().error_code).toBe('INVALID_UUID');
    const gate = await enrolGate(t);
    const fan = await demoUser(t, DEMO.fan);
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/sync/devices/${gate.deviceId}/revoke`,
      headers: { authorization: `Bearer ${fan.token}` },
    });
    expect(res.statusCode).toBe(403);
  });

  it('operators list devices with status, last seen, backlog and clock offset; filters and pages', async () => {
    const gate = await enrolGate(t, { hallId: 'HALL-B', name: 'Listed Gate' });
    await t.app.inject({
      method: 'POST',
      url: '/api/sync/scans',
      headers: gate.headers,
      payload: { scans: [], backlog: 17, clock_offset_ms: -420 },
    });
    const op = await operatorHeaders(t);
    const res = await t.app.inject({ method: 'GET', url: '/api/sync/devices?hall_id=HALL-B&status=ACTIVE&per_page=100', headers: op });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    const listed = body.data.map((d: unknown) => sync.DeviceView.parse(d));
    expect(listed.every((d: sync.DeviceView) => d.hall_id === 'HALL-B' && d.status === 'ACTIVE')).toBe(true);
    expect(listed.find((d: sync.DeviceView) => d.device_id === gate.deviceId)).toMatchObject({
      name: 'Listed Gate',
      backlog: 17,
      clock_offset_ms: -420,
      revoked_at: null,
    });
    expect(listed.find((d: sync.DeviceView) => d.device_id === gate.deviceId).last_seen_at).not.toBeNull();
    expect(body.pagination).toMatchObject({ page: 1, per_page: 100, total: listed.length });

    const all = (await t.app.inject({ method: 'GET', url: '/api/sync/devices?per_page=1&page=2', headers: op })).json();
    expect(all.data).toHaveLength(1);
    expect(all.pagination.total).toBeGreaterThan(2);
    expect(all.pagination.total_pages).toBe(all.pagination.total);
    const beyond = (await t.app.inject({ method: 'GET', url: '/api/sync/devices?per_page=100&page=50', headers: op })).json();
    expect(beyond.data).toEqual([]);
    expect(beyond.pagination.total).toBe(all.pagination.total);
  });

  it('last_seen_at is written at most every few seconds', async () => {
    const gate = await enrolGate(t);
    const seen = async () =>
      (
        await t.ctx.pool.query<{ last_seen_at: Date }>('SELECT last_seen_at FROM devices WHERE id = $1', [gate.deviceId])
      ).rows[0]!.last_seen_at.getTime();
    const hall = () => t.app.inject({ method: 'GET', url: '/api/sync/hall', headers: gate.headers });
    const enrolled = await seen();
    await hall();
    expect(await seen()).toBe(enrolled);
    t.clock.advance(6000);
    try {
      await hall();
      const later = await seen();
      expect(later).toBeGreaterThan(enrolled);
      await hall();
      expect(await seen()).toBe(later);
    } finally {
      t.clock.real();
    }
  });

  it('documents the sync routes with their error codes in /docs', async () => {
    const spec = (await t.app.inject({ method: 'GET', url: '/docs/json' })).json();
    for (const path of [
      '/api/sync/enrol',
      '/api/sync/hall',
      '/api/sync/events/{event_id}/seats',
      '/api/sync/scans',
      '/api/sync/stream',
      '/api/sync/enrolments',
      '/api/sync/devices',
      '/api/sync/devices/{device_id}/revoke',
      '/api/sync/conflicts',
      '/api/sync/stats',
    ]) {
      expect(Object.keys(spec.paths)).toContain(path);
    }
    const seats = spec.paths['/api/sync/events/{event_id}/seats'].get;
    expect(seats.description).toContain('EVENT_NOT_FOUND');
    expect(Object.keys(seats.responses)).toEqual(expect.arrayContaining(['200', '401', '403', '404']));
  });
});

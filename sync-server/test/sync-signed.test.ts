import { gunzipSync } from 'node:zlib';
import { decodeSyncPublicKey, newSyncNonce, verifyEndorsement, verifySync, type SyncPublicKey } from '@ticketgate/crypto';
import { sync } from '@ticketgate/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, createTestApp, demoUser, type TestApp } from './helpers/app.js';
import { enrolGate, operatorHeaders, upcomingEvent, upload, type TestGate } from './helpers/sync.js';

/** Signed sync on the server side (docs/sync-protocol.md): what is signed, over what, and the rotation chain. */
describe('signed sync replies', () => {
  let t: TestApp;
  let gate: TestGate;
  let event: string;
  beforeAll(async () => {
    t = await createTestApp({ seed: true });
    gate = await enrolGate(t, { name: 'Signed Gate' });
    event = await upcomingEvent(t);
  });
  afterAll(async () => t.close());

  const get = (url: string, nonce: string, extra: Record<string, string> = {}) =>
    t.app.inject({ method: 'GET', url, headers: { ...gate.headers, [sync.NONCE_HEADER]: nonce, ...extra } });
  const signature = (res: { headers: Record<string, unknown> }) => String(res.headers[sync.SIGNATURE_HEADER]);
  const activePublic = async (): Promise<SyncPublicKey> => {
    const k = await t.ctx.syncKeys.activeKey();
    return { kid: k.kid, publicKey: k.publicKey };
  };

  it('signs the manifest, seat deltas (before gzip) and upload replies over the request nonce and the exact bytes', async () => {
    const key = await activePublic();
    const nonce = newSyncNonce();
    const hall = await get('/api/sync/hall', nonce);
    expect(hall.statusCode).toBe(200);
    expect(verifySync(key, signature(hall), 'hall', nonce, hall.rawPayload)).toEqual({ ok: true });
    // Bound to the request: another nonce, another kind, a changed byte all fail.
    expect(verifySync(key, signature(hall), 'hall', newSyncNonce(), hall.rawPayload).ok).toBe(false);
    expect(verifySync(key, signature(hall), 'seats', nonce, hall.rawPayload).ok).toBe(false);
    const changed = Buffer.from(hall.rawPayload);
    changed[10]! ^= 1;
    expect(verifySync(key, signature(hall), 'hall', nonce, changed)).toEqual({
      ok: false,
      reason: 'the signature does not match the data',
    });
    expect(sync.HallManifest.parse(hall.json().data).sync_keys.map((l) => decodeSyncPublicKey(l.public_key).kid)).toEqual([key.kid]);

    const seats = await get(`/api/sync/events/${event}/seats?since=0`, nonce, { 'accept-encoding': 'gzip' });
    expect(seats.headers['content-encoding']).toBe('gzip');
    const plain = gunzipSync(seats.rawPayload);
    expect(verifySync(key, signature(seats), 'seats', nonce, plain)).toEqual({ ok: true });
    expect(sync.SeatDelta.parse(JSON.parse(plain.toString()).data)).toMatchObject({ event_id: event, device_id: gate.deviceId, since: 0 });

    const up = await t.app.inject({
      method: 'POST',
      url: '/api/sync/scans',
      headers: { ...gate.headers, [sync.NONCE_HEADER]: nonce },
      payload: { scans: [], backlog: 0, clock_offset_ms: 12 },
    });
    expect(up.statusCode).toBe(200);
    expect(verifySync(key, signature(up), 'scans', nonce, up.rawPayload)).toEqual({ ok: true });
  });

  it('records what the gate reports about integrity and shows it in the operator device view', async () => {
    const report = {
      state: 'refused' as const,
      message: 'GET /api/sync/hall: the signature does not match the data',
      at: new Date(t.clock.now() - 1000).toISOString(),
    };
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/sync/scans',
      headers: gate.headers,
      payload: { scans: [], backlog: 0, clock_offset_ms: null, sync_integrity: report },
    });
    expect(res.statusCode).toBe(200);
    const list = await t.app.inject({ method: 'GET', url: '/api/sync/devices?hall_id=HALL-A', headers: await operatorHeaders(t) });
    const view = (list.json().data as sync.DeviceView[]).find((d) => d.device_id === gate.deviceId)!;
    expect(view).toMatchObject({ sync_integrity: 'refused', sync_integrity_message: report.message, sync_integrity_at: report.at });
    await upload(t, gate, [], {});
    const again = await t.app.inject({ method: 'GET', url: '/api/sync/devices?hall_id=HALL-A', headers: await operatorHeaders(t) });
    // An upload without a report changes nothing.
    expect((again.json().data as sync.DeviceView[]).find((d) => d.device_id === gate.deviceId)!.sync_integrity).toBe('refused');
  });

  it('rotation: the new key is endorsed by the old one, the chain is in the manifest, and the manifest is signed by the new key', async () => {
    const before = await activePublic();
    const asOperator = await t.app.inject({ method: 'POST', url: '/api/sync/keys/rotate', headers: await operatorHeaders(t) });
    expect(asOperator.json().error_code).toBe('FORBIDDEN');
    const admin = await demoUser(t, DEMO.admin);
    const rotated = await t.app.inject({
      method: 'POST',
      url: '/api/sync/keys/rotate',
      headers: { authorization: `Bearer ${admin.token}` },
    });
    expect(rotated.statusCode).toBe(200);
    const { previous_kid: previousKid, kid } = sync.SyncKeyRotation.parse(rotated.json().data);
    expect(previousKid).toBe(before.kid);
    const after = await activePublic();
    expect(after.kid).toBe(kid);
    const nonce = newSyncNonce();
    const hall = await get('/api/sync/hall', nonce);
    const chain = sync.HallManifest.parse(hall.json().data).sync_keys;
    expect(chain).toHaveLength(2);
    expect(chain[1]!.endorsed_by).toBe(before.kid);
    const next = decodeSyncPublicKey(chain[1]!.public_key);
    expect(verifyEndorsement(before, next, chain[1]!.endorsement!)).toBe(true);
    expect(verifyEndorsement(next, next, chain[1]!.endorsement!)).toBe(false);
    expect(verifySync(after, signature(hall), 'hall', nonce, hall.rawPayload)).toEqual({ ok: true });
    expect(verifySync(before, signature(hall), 'hall', nonce, hall.rawPayload).ok).toBe(false);
  });
});

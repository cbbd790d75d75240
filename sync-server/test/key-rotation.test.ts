import { CredentialVerifier, decodeBase32, decodeIssuingPublicKey, issueCredential, openGateKey, ready } from '@ticketgate/crypto';
import { sync } from '@ticketgate/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rewrapKeys } from '../src/domain/keys/rewrap.js';
import { KeyStore } from '../src/domain/keys/key-store.js';
import { rotateDueKeys } from '../src/domain/keys/rotate-keys.js';
import { unwrapSecret, wrapSecret } from '../src/domain/keys/wrap.js';
import { DEMO, createTestApp, demoUser, type TestApp } from './helpers/app.js';
import { ARENA, eventIdOf } from './helpers/commerce.js';
import { enrolGate, openStream, soldSeats, startPeer, type TestGate } from './helpers/sync.js';

type User = Awaited<ReturnType<typeof demoUser>>;
type Peer = Awaited<ReturnType<typeof startPeer>>;

/** The gate key id in a credential's clear header (bytes 1-4). */
const gateKidOf = (qr: string) => Buffer.from(decodeBase32(qr)!.subarray(1, 5)).toString('hex');

describe('key rotation', () => {
  let t: TestApp;
  let peer: Peer;
  let fan: User, staff: User, admin: User;
  let arena: string;
  let gate: TestGate;

  beforeAll(async () => {
    t = await createTestApp({ seed: true, env: { KEY_ROTATION_OVERLAP_SECONDS: '600' } });
    peer = await startPeer(t);
    [fan, staff, admin] = (await Promise.all([DEMO.fan, DEMO.staff, DEMO.admin].map((e) => demoUser(t, e)))) as [User, User, User];
    arena = await eventIdOf(t, ARENA);
    gate = await enrolGate(t, { hallId: 'HALL-A', name: 'Rotating gate' });
    await ready();
  });
  afterAll(async () => {
    await peer?.close();
    await t?.close();
  });

  const as = (who: User) => ({ authorization: `Bearer ${who.token}` });
  const qrOn = async (app: TestApp['app'], seatId: string) => {
    const res = await app.inject({ method: 'GET', url: `/api/tickets/${seatId}/qr?format=json`, headers: as(fan) });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().data.qr_payload as string;
  };
  const verifyOn = async (app: TestApp['app'], qr: string) =>
    (await app.inject({ method: 'POST', url: '/api/verify', headers: as(staff), payload: { qr_payload: qr, hall_id: 'HALL-A' } })).json();
  const manifest = async () =>
    sync.HallManifest.parse((await t.app.inject({ method: 'GET', url: '/api/sync/hall', headers: gate.headers })).json().data);
  const rotateGate = async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/admin/keys/gate/rotate',
      headers: as(admin),
      payload: { event_id: arena },
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().data as { retired_kid: string; new_kid: string; retired_valid_until: string };
  };

  it('a code issued just before a rotation still verifies; a new code carries the new key id', async () => {
    const [before, after] = await soldSeats(t, arena, 2);
    const oldQr = await qrOn(t.app, before!);
    const oldKid = gateKidOf(oldQr);
    const rotation = await rotateGate();
    expect(rotation.retired_kid).toBe(oldKid);
    expect(rotation.new_kid).not.toBe(oldKid);
    expect(Date.parse(rotation.retired_valid_until)).toBeGreaterThan(Date.now() + 500_000);

    const newQr = await qrOn(t.app, after!);
    expect(gateKidOf(newQr)).toBe(rotation.new_kid);
    expect((await verifyOn(t.app, oldQr)).data.result).toBe('SUCCESS');
    expect((await verifyOn(t.app, newQr)).data.result).toBe('SUCCESS');
  });

  it('the issuing key rotates too: new codes are signed by the new key only, old signatures still verify', async () => {
    const [before, after] = await soldSeats(t, arena, 2);
    const oldQr = await qrOn(t.app, before!);
    const res = await t.app.inject({ method: 'POST', url: '/api/admin/keys/issuing/rotate', headers: as(admin) });
    expect(res.statusCode).toBe(200);
    const { retired_kid: oldKid, new_kid: newKid } = res.json().data;
    const newQr = await qrOn(t.app, after!);

    const m = await manifest();
    expect(m.issuing_keys.map((k) => decodeIssuingPublicKey(k).kid).sort()).toEqual([oldKid, newKid].sort());
    const gateKeys = m.events.find((e) => e.event_id === arena)!.gate_keys.map((k) => openGateKey(k.sealed, gate.keys));
    const onlyNew = new CredentialVerifier({
      gateKeys,
      issuingKeys: m.issuing_keys.map(decodeIssuingPublicKey).filter((k) => k.kid === newKid),
    });
    expect(onlyNew.verify(newQr, Date.now()).status).toBe('valid');
    expect(onlyNew.verify(oldQr, Date.now())).toMatchObject({ status: 'invalid' });
    expect((await verifyOn(t.app, oldQr)).data.result).toBe('SUCCESS');
  });

  it('the manifest lists the retired gate key for the overlap, then drops it; old codes then fail', async () => {
    const [seat] = await soldSeats(t, arena, 1);
    const oldQr = await qrOn(t.app, seat!);
    const { retired_kid: oldKid, new_kid: newKid } = await rotateGate();
    expect(
      (await manifest()).events
        .find((e) => e.event_id === arena)!
        .gate_keys.map((k) => k.kid)
        .slice(0, 2),
    ).toEqual([newKid, oldKid]);
    // The overlap ends: as if the rotations were 11 minutes ago (overlap 10).
    await t.ctx.pool.query(
      `UPDATE gate_keys SET retired_at = now() - interval '11 minutes' WHERE event_id = $1 AND retired_at IS NOT NULL`,
      [arena],
    );
    t.ctx.keys.invalidate();
    expect((await manifest()).events.find((e) => e.event_id === arena)!.gate_keys.map((k) => k.kid)).toEqual([newKid]);
    expect(
      (
        await t.app.inject({ method: 'POST', url: '/api/verify', headers: as(staff), payload: { qr_payload: oldQr, hall_id: 'HALL-A' } })
      ).json(),
    ).toMatchObject({ success: false, error_code: 'QR_INVALID' });
  });

  it('two instances on one database: a rotation on one takes effect on the other at once (NOTIFY), and gates are told to re-pull', async () => {
    const [seat] = await soldSeats(t, arena, 1);
    // The peer has cached the current key.
    const cachedKid = gateKidOf(await qrOn(peer.app, seat!));
    const stream = await openStream(peer.url, gate.token);
    try {
      await stream.next((m) => m.event === 'seats');
      const started = Date.now();
      const { new_kid: newKid, retired_kid: retired } = await rotateGate();
      expect(retired).toBe(cachedKid);
      // NOTIFY makes this immediate; the poll's long timeout only keeps a loaded machine from failing it (the time is printed).
      await expect.poll(async () => gateKidOf(await qrOn(peer.app, seat!)), { timeout: 30_000, interval: 25 }).toBe(newKid);
      const tookMs = Date.now() - started;
      const told = await stream.next((m) => m.event === 'manifest');
      expect(sync.ManifestChangedMessage.parse(told.data)).toEqual({ reason: 'keys' });
      console.log(`rotation visible on the second instance after ${tookMs} ms`);
    } finally {
      await stream.close();
    }
  });

  it('the schedule rotates keys older than the interval, once, with an audit row without actor', async () => {
    const scheduled = { ...t.ctx, config: { ...t.ctx.config, KEY_ROTATION_INTERVAL_HOURS: 24 } };
    expect(await rotateDueKeys(scheduled)).toEqual([]);
    await t.ctx.pool.query(`UPDATE issuing_keys SET created_at = now() - interval '2 days' WHERE retired_at IS NULL`);
    const done = await rotateDueKeys(scheduled);
    expect(done.map((r) => r.kind)).toEqual(['issuing']);
    expect(await rotateDueKeys(scheduled)).toEqual([]);
    const { rows } = await t.ctx.pool.query(
      `SELECT actor_id, details FROM audit_log WHERE action = 'key.rotate_issuing' ORDER BY id DESC LIMIT 1`,
    );
    expect(rows[0]).toMatchObject({ actor_id: null, details: { reason: 'scheduled', new_kid: done[0]!.newKid } });
    expect(await rotateDueKeys({ ...t.ctx, config: { ...t.ctx.config, KEY_ROTATION_INTERVAL_HOURS: 0 } })).toEqual([]);
  });

  it('rotation is for admins only', async () => {
    const operator = await demoUser(t, DEMO.operator);
    for (const [path, payload] of [
      ['/api/admin/keys/issuing/rotate', undefined],
      ['/api/admin/keys/gate/rotate', { event_id: arena }],
    ] as const) {
      const res = await t.app.inject({ method: 'POST', url: path, headers: as(operator), ...(payload ? { payload } : {}) });
      expect(res.json().error_code).toBe('FORBIDDEN');
    }
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/api/admin/keys/gate/rotate',
      headers: as(admin),
      payload: { event_id: '7b1f0c1e-3c44-4d6c-9a51-2f0d2b3c4d5e' },
    });
    expect(unknown.json().error_code).toBe('EVENT_NOT_FOUND');
  });

  it('a new MASTER_KEY: every key is re-wrapped, still works under the new key and no longer under the old', async () => {
    const newMaster = 'a-brand-new-master-key-for-this-test-0123456789';
    const counts = await rewrapKeys(t.ctx.pool, t.config.MASTER_KEY, newMaster);
    expect(counts.gate_keys).toBeGreaterThan(1);
    const store = new KeyStore(t.ctx.pool, newMaster, { skewSeconds: 10, overlapSeconds: 600 });
    const [seat] = await soldSeats(t, arena, 1);
    const qr = issueCredential(
      { seatId: seat!, eventId: arena, hallCode: 'HALL-A', generation: 1, issuedAt: Math.floor(Date.now() / 1000) },
      { issuing: await store.activeIssuingKey(), gate: await store.gateKeyFor(arena) },
    );
    expect((await store.verify(qr, Date.now())).status).toBe('valid');
    await expect(
      new KeyStore(t.ctx.pool, t.config.MASTER_KEY, { skewSeconds: 10, overlapSeconds: 600 }).activeIssuingKey(),
    ).rejects.toThrow(/does not unwrap/);
    // A wrong old key changes nothing.
    await expect(rewrapKeys(t.ctx.pool, t.config.MASTER_KEY, 'x'.repeat(40))).rejects.toThrow(/does not unwrap/);
    await rewrapKeys(t.ctx.pool, newMaster, t.config.MASTER_KEY);
    t.ctx.keys.invalidate();
    expect(gateKidOf(await qrOn(t.app, seat!))).toBe((await store.gateKeyFor(arena)).kid);
  });
});

describe('key wrapping (HKDF, AES-256-GCM with key id and purpose as associated data)', () => {
  const master = 'm'.repeat(40);
  it('unwraps only under the same master key, key id and purpose', () => {
    const wrapped = wrapSecret(master, { purpose: 'gate', kid: '0a0b0c0d' }, 'secret');
    expect(wrapped.startsWith('v2.')).toBe(true);
    expect(unwrapSecret(master, { purpose: 'gate', kid: '0a0b0c0d' }, wrapped)).toBe('secret');
    // A wrapped value copied onto another key's row, or presented as another kind of key, is refused.
    expect(() => unwrapSecret(master, { purpose: 'gate', kid: '0a0b0c0e' }, wrapped)).toThrow(/does not unwrap/);
    expect(() => unwrapSecret(master, { purpose: 'issuing', kid: '0a0b0c0d' }, wrapped)).toThrow(/does not unwrap/);
    expect(() => unwrapSecret('n'.repeat(40), { purpose: 'gate', kid: '0a0b0c0d' }, wrapped)).toThrow(/does not unwrap/);
    expect(() => unwrapSecret(master, { purpose: 'gate', kid: '0a0b0c0d' }, wrapped.replace(/^v2/, 'v1'))).toThrow(/unrecognised/);
  });
});

import { encodeSyncPublicKey, enrolmentCodeId, generateMeshKeyPair, toBase64Url, verifyDeviceCert, verifySync } from '@ticketgate/crypto';
import { sync } from '@ticketgate/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEVICE_CERT_TTL_MS } from '../src/domain/sync/device-cert.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { enrolGate, enrolmentCode, operatorHeaders, type TestGate } from './helpers/sync.js';

// Device certificates for the hall mesh (docs/mesh.md): issued with the sync key,
// carried by every manifest, with the hall's revoked devices beside them.
describe('device certificates for the hall mesh', () => {
  let t: TestApp;
  let gate: TestGate;
  beforeAll(async () => {
    t = await createTestApp({ seed: true });
    gate = await enrolGate(t, { name: 'Mesh Gate' });
  });
  afterAll(async () => t.close());

  const manifest = async (g: TestGate) => {
    const res = await t.app.inject({ method: 'GET', url: '/api/sync/hall', headers: g.headers });
    expect(res.statusCode).toBe(200);
    return sync.HallManifest.parse(res.json().data);
  };

  it('a gate enrolled without a mesh key registers one through a signed reply and then every manifest certifies it', async () => {
    expect((await manifest(gate)).device_cert).toBeNull();
    const key = generateMeshKeyPair();
    const nonce = 'n'.repeat(22);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/sync/mesh-key',
      headers: { ...gate.headers, [sync.NONCE_HEADER]: nonce },
      payload: { public_key: toBase64Url(key.publicKey) },
    });
    expect(res.statusCode).toBe(200);
    const syncKey = await t.ctx.syncKeys.activeKey();
    expect(verifySync(syncKey, res.headers[sync.SIGNATURE_HEADER] as string, 'mesh-key', nonce, res.rawPayload)).toEqual({ ok: true });
    const { device_cert } = sync.MeshKeyResponse.parse(res.json().data);
    const now = t.clock.now();
    const checked = verifyDeviceCert(device_cert, [syncKey], now);
    expect(checked).toMatchObject({
      ok: true,
      kid: syncKey.kid,
      claims: { deviceId: gate.deviceId, hallId: 'HALL-A', name: 'Mesh Gate', publicKey: toBase64Url(key.publicKey) },
    });
    if (!checked.ok) throw new Error(checked.reason);
    expect(checked.claims.expiresAt - checked.claims.issuedAt).toBe(DEVICE_CERT_TTL_MS);
    expect(verifyDeviceCert(device_cert, [syncKey], checked.claims.expiresAt + 1)).toEqual({ ok: false, reason: 'certificate expired' });
    const fromManifest = (await manifest(gate)).device_cert!;
    expect(verifyDeviceCert(fromManifest, [syncKey], t.clock.now())).toMatchObject({
      ok: true,
      claims: { publicKey: toBase64Url(key.publicKey) },
    });
    // Only the sync key makes one: checked with another key, it is refused.
    expect(verifyDeviceCert(fromManifest, [{ ...syncKey, publicKey: generateMeshKeyPair().publicKey }], t.clock.now())).toEqual({
      ok: false,
      reason: 'certificate signature does not match',
    });
    expect(encodeSyncPublicKey(syncKey)).toMatch(/^tg\.sync-public-key\.v1\./);
  });

  it('a key given at enrolment is certified by the first manifest; a malformed key is refused with the envelope', async () => {
    const key = generateMeshKeyPair();
    const code = await enrolmentCode(t);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/sync/enrol',
      payload: {
        code_id: enrolmentCodeId(code),
        name: 'Enrolled With Key',
        box_public_key: toBase64Url(generateMeshKeyPair().publicKey),
        mesh_public_key: toBase64Url(key.publicKey),
      },
    });
    expect(res.statusCode).toBe(200);
    const g = { headers: { authorization: `Bearer ${res.json().data.device_token as string}` } } as TestGate;
    const cert = (await manifest(g)).device_cert!;
    expect(verifyDeviceCert(cert, [await t.ctx.syncKeys.activeKey()], t.clock.now())).toMatchObject({
      ok: true,
      claims: { name: 'Enrolled With Key', publicKey: toBase64Url(key.publicKey) },
    });
    const bad = await t.app.inject({ method: 'POST', url: '/api/sync/mesh-key', headers: gate.headers, payload: { public_key: 'short' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ success: false, error_code: 'VALIDATION_ERROR' });
    const anonymous = await t.app.inject({
      method: 'POST',
      url: '/api/sync/mesh-key',
      payload: { public_key: toBase64Url(key.publicKey) },
    });
    expect(anonymous.statusCode).toBe(401);
  });

  it("lists the hall's revoked devices in the manifest (and only that hall's)", async () => {
    const victim = await enrolGate(t);
    const elsewhere = await enrolGate(t, { hallId: 'HALL-B' });
    for (const d of [victim, elsewhere]) {
      const res = await t.app.inject({ method: 'POST', url: `/api/sync/devices/${d.deviceId}/revoke`, headers: await operatorHeaders(t) });
      expect(res.statusCode).toBe(200);
    }
    const m = await manifest(gate);
    expect(m.revoked_devices).toContain(victim.deviceId);
    expect(m.revoked_devices).not.toContain(elsewhere.deviceId);
    expect(m.revoked_devices).not.toContain(gate.deviceId);
  });
});

import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  decodeMeshKeyPair,
  encodeMeshKeyPair,
  generateMeshKeyPair,
  generateSyncKeyPair,
  issueDeviceCert,
  signMeshMessage,
  toBase64Url,
  verifyDeviceCert,
  verifyMeshMessage,
} from '../src/index.js';

describe('device certificates and mesh signatures', () => {
  const sync = generateSyncKeyPair();
  const mesh = generateMeshKeyPair();
  const claims = {
    deviceId: randomUUID(),
    hallId: 'HALL-A',
    name: 'North Gate',
    publicKey: toBase64Url(mesh.publicKey),
    issuedAt: 1_800_000_000_000,
    expiresAt: 1_800_000_000_000 + 3600_000,
  };
  const cert = issueDeviceCert(sync, claims);

  it('verifies with the signing sync key within its validity, and only then', () => {
    expect(verifyDeviceCert(cert, [sync], claims.issuedAt + 1)).toEqual({ ok: true, claims, kid: sync.kid });
    expect(verifyDeviceCert(cert, [generateSyncKeyPair()], claims.issuedAt + 1)).toMatchObject({ ok: false });
    expect(verifyDeviceCert(cert, [sync], claims.issuedAt - 10_000)).toEqual({ ok: false, reason: 'certificate not valid yet' });
    expect(verifyDeviceCert(cert, [sync], claims.issuedAt - 10_000, 20_000).ok).toBe(true);
    expect(verifyDeviceCert(cert, [sync], claims.expiresAt + 1)).toEqual({ ok: false, reason: 'certificate expired' });
  });

  it('refuses a certificate whose claims were changed after signing (another hall), or that is not one', () => {
    const [head, body, ...rest] = [cert.split('.').slice(0, 3).join('.'), cert.split('.')[3]!, ...cert.split('.').slice(4)];
    const json = JSON.parse(Buffer.from(body, 'base64url').toString()) as Record<string, unknown>;
    const forged = [head, Buffer.from(JSON.stringify({ ...json, hall_id: 'HALL-B' })).toString('base64url'), ...rest].join('.');
    expect(verifyDeviceCert(forged, [sync], claims.issuedAt + 1)).toEqual({ ok: false, reason: 'certificate signature does not match' });
    expect(verifyDeviceCert('not a cert', [sync], 0)).toEqual({ ok: false, reason: 'malformed certificate' });
  });

  it('mesh messages: the key round-trips its text form; a signature covers exactly the body', () => {
    expect(decodeMeshKeyPair(encodeMeshKeyPair(mesh))).toEqual(mesh);
    const body = '{"v":1,"type":"digest"}';
    const sig = signMeshMessage(mesh, body);
    expect(verifyMeshMessage(claims.publicKey, body, sig)).toBe(true);
    expect(verifyMeshMessage(claims.publicKey, body.replace('digest', 'records'), sig)).toBe(false);
    expect(verifyMeshMessage(toBase64Url(generateMeshKeyPair().publicKey), body, sig)).toBe(false);
    expect(verifyMeshMessage('short', body, sig)).toBe(false);
    expect(verifyMeshMessage(claims.publicKey, body, 'x')).toBe(false);
  });
});

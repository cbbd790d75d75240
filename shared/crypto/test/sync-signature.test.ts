import { describe, expect, it } from 'vitest';
import {
  decodeSyncKeyPair,
  decodeSyncPublicKey,
  encodeSyncKeyPair,
  encodeSyncPublicKey,
  endorseSyncKey,
  enrolmentBindingKey,
  enrolmentCodeId,
  enrolmentMac,
  generateSyncKeyPair,
  newSyncNonce,
  isSyncNonce,
  signSync,
  verifyEndorsement,
  verifyEnrolmentMac,
  verifySync,
} from '../src/index.js';

describe('sync signatures', () => {
  const key = generateSyncKeyPair();
  const body = Buffer.from('{"success":true,"data":{"server_time":"2026-12-01T00:00:00.000Z"}}');

  it('round-trips the key text forms; a kid that does not match the key is refused', () => {
    expect(decodeSyncKeyPair(encodeSyncKeyPair(key))).toEqual(key);
    const pub = encodeSyncPublicKey(key);
    expect(decodeSyncPublicKey(pub)).toEqual({ kid: key.kid, publicKey: key.publicKey });
    const other = generateSyncKeyPair();
    expect(() => decodeSyncPublicKey(pub.replace(key.kid, other.kid))).toThrow(/kid does not match/);
    expect(() => decodeSyncPublicKey(pub.replace('sync-public-key', 'issuing-public-key'))).toThrow();
  });

  it('binds a signature to the kind, the nonce, the extra fields and every byte', () => {
    const nonce = newSyncNonce();
    expect(isSyncNonce(nonce)).toBe(true);
    const sig = signSync(key, 'seats', nonce, body, ['7']);
    expect(verifySync(key, sig, 'seats', nonce, body, ['7'])).toEqual({ ok: true });
    expect(verifySync(key, sig, 'hall', nonce, body, ['7']).ok).toBe(false);
    expect(verifySync(key, sig, 'seats', newSyncNonce(), body, ['7']).ok).toBe(false);
    expect(verifySync(key, sig, 'seats', nonce, body, ['8']).ok).toBe(false);
    for (let i = 0; i < body.length; i += 7) {
      const changed = Buffer.from(body);
      changed[i]! ^= 0x01;
      expect(verifySync(key, sig, 'seats', nonce, changed, ['7']).ok).toBe(false);
    }
    expect(verifySync(key, null, 'seats', nonce, body)).toEqual({ ok: false, reason: 'the reply is not signed' });
    expect(verifySync(key, 'x.y', 'seats', nonce, body)).toEqual({ ok: false, reason: 'the signature is malformed' });
    expect(verifySync(generateSyncKeyPair(), sig, 'seats', nonce, body, ['7']).ok).toBe(false);
  });

  it('a rotation link verifies only with the previous key, for that successor', () => {
    const next = generateSyncKeyPair();
    const e = endorseSyncKey(key, next);
    expect(verifyEndorsement(key, next, e)).toBe(true);
    expect(verifyEndorsement(next, next, e)).toBe(false);
    expect(verifyEndorsement(key, generateSyncKeyPair(), e)).toBe(false);
    expect(verifyEndorsement(key, next, 'not-base64!')).toBe(false);
  });

  it('the enrolment code gives an id and a MAC key that differ; typing variants give the same', () => {
    const code = 'ABCD-EFGH-JKLM-NPQR';
    expect(enrolmentCodeId(' abcd efgh-jklm-npqr ')).toBe(enrolmentCodeId(code));
    const id = Buffer.from(enrolmentCodeId(code), 'base64url');
    expect(id.length).toBe(32);
    expect(Buffer.compare(id, Buffer.from(enrolmentBindingKey(code)))).not.toBe(0);
    const nonce = newSyncNonce();
    const mac = enrolmentMac(enrolmentBindingKey(code), nonce, body);
    expect(verifyEnrolmentMac(enrolmentBindingKey(code), nonce, body, mac)).toBe(true);
    expect(verifyEnrolmentMac(enrolmentBindingKey('ABCD-EFGH-JKLM-NPQS'), nonce, body, mac)).toBe(false);
    expect(verifyEnrolmentMac(enrolmentBindingKey(code), nonce, body, null)).toBe(false);
    expect(verifyEnrolmentMac(enrolmentBindingKey(code), nonce, body, mac.slice(0, 10))).toBe(false);
  });
});

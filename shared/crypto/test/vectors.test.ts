// Checks the published vectors the way another implementation would: from the
// JSON alone, with plain primitives, then through our verifier; and checks that
// the committed file is exactly what the generator produces today.
import { createPublicKey, verify } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import vectors from '../test-vectors/credentials.json' with { type: 'json' };
import { makeVectorFile } from '../scripts/make-vectors.js';
import { buildCredential } from '../src/issue.js';
import { getSodium } from '../src/sodium.js';
import { CredentialVerifier, decodeBase32, encodeBase32, ready, type VerifyOutcome } from '../src/index.js';

const hex = (s: string) => new Uint8Array(Buffer.from(s, 'hex'));
const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');

let verifier: CredentialVerifier;

beforeAll(async () => {
  await ready();
  verifier = new CredentialVerifier({
    gateKeys: vectors.verifier.gateKeys.map((k) => ({ kid: k.kid, key: hex(k.keyHex) })),
    issuingKeys: vectors.verifier.issuingPublicKeys.map((k) => ({ kid: k.kid, publicKey: hex(k.publicKeyHex) })),
    ttlSeconds: vectors.verifier.ttlSeconds,
    skewSeconds: vectors.verifier.skewSeconds,
  });
});

describe('published test vectors (test-vectors/credentials.json)', () => {
  it('has the expected shape', () => {
    expect(vectors.format).toBe('ticketgate-credential');
    expect(vectors.version).toBe(1);
    expect(vectors.valid.length).toBeGreaterThanOrEqual(3);
    expect(vectors.invalid.length).toBeGreaterThanOrEqual(10);
  });

  it('valid vectors decompose as documented: Base32 → header ‖ AEAD(plaintext) → signed message → Ed25519', () => {
    const sodium = getSodium();
    const gate = hex(vectors.keys.gate.keyHex);
    const issuingPublic = createPublicKey({
      key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(vectors.keys.issuing.publicKeyHex, 'hex').toString('base64url') },
      format: 'jwk',
    });
    for (const v of vectors.valid) {
      const bytes = decodeBase32(v.text)!;
      expect(toHex(bytes)).toBe(v.credentialHex);
      expect(bytes).toHaveLength(161);
      expect(v.text).toHaveLength(258);
      const header = bytes.subarray(0, 37);
      expect(header[0]).toBe(1);
      expect(toHex(header.subarray(1, 5))).toBe(v.gateKid);
      expect(Buffer.from(header.subarray(5, 13)).toString('latin1').replace(/\0+$/, '')).toBe(v.claims.hallCode);
      expect(toHex(header.subarray(13, 37))).toBe(v.nonceHex);
      const plaintext = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, bytes.subarray(37), header, header.subarray(13), gate);
      expect(toHex(plaintext)).toBe(v.plaintextHex);
      expect(toHex(plaintext.subarray(0, 4))).toBe(v.issuingKid);
      expect(toHex(plaintext.subarray(4, 20))).toBe(v.claims.seatId.replace(/-/g, ''));
      expect(toHex(plaintext.subarray(20, 36))).toBe(v.claims.eventId.replace(/-/g, ''));
      expect(Buffer.from(plaintext).readUInt32BE(36)).toBe(v.claims.generation);
      expect(Buffer.from(plaintext).readUInt32BE(40)).toBe(v.claims.issuedAt);
      expect(toHex(plaintext.subarray(44))).toBe(v.signatureHex);
      expect(v.signedMessageHex).toBe(vectors.signingContextHex + toHex(header.subarray(0, 13)) + toHex(plaintext.subarray(0, 44)));
      expect(verify(null, hex(v.signedMessageHex), issuingPublic, hex(v.signatureHex))).toBe(true);
    }
  });

  it('every check of every valid vector gives the published outcome', () => {
    for (const v of vectors.valid) {
      for (const c of v.checks) expect(verifier.verify(c.input, c.nowMs), `${v.name} @ ${c.nowMs}`).toEqual(c.expect as VerifyOutcome);
    }
  });

  it('every invalid vector gives the published reason (and hall hint)', () => {
    for (const v of vectors.invalid) expect(verifier.verify(v.input, v.nowMs), v.name).toEqual(v.expect as VerifyOutcome);
  });

  it('the issuer reproduces each valid vector byte for byte from its keys and nonce', () => {
    const issuing = {
      kid: vectors.keys.issuing.kid,
      publicKey: hex(vectors.keys.issuing.publicKeyHex),
      privateKey: hex(vectors.keys.issuing.seedHex),
    };
    const gate = { kid: vectors.keys.gate.kid, key: hex(vectors.keys.gate.keyHex) };
    for (const v of vectors.valid) {
      expect(encodeBase32(buildCredential(v.claims, { issuing, gate }, hex(v.nonceHex)).bytes)).toBe(v.text);
    }
  });

  it('the committed file is current (npx tsx shared/crypto/scripts/make-vectors.ts)', async () => {
    expect(JSON.parse(JSON.stringify(await makeVectorFile()))).toEqual(vectors);
  });
});

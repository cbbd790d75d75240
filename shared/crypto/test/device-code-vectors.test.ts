// The device-bound code vectors (test-vectors/device-codes.json) checked as
// another implementation would: the JSON, the layout of docs/qr-format.md, a
// Base32 decoder written here and generic primitives (@noble/curves for Ed25519
// and P-256, @noble/ciphers for XChaCha20-Poly1305) — none of the project's
// decoder. Then the project's verifier must give every published outcome, and
// the committed file must be what the generator produces today.
import { xchacha20poly1305 } from '@noble/ciphers/chacha';
import { ed25519 } from '@noble/curves/ed25519';
import { p256 } from '@noble/curves/p256';
import { sha256 } from '@noble/hashes/sha2';
import { beforeAll, describe, expect, it } from 'vitest';
import vectors from '../test-vectors/device-codes.json' with { type: 'json' };
import { makePassVectorFile } from '../scripts/make-pass-vectors.js';
import { CredentialVerifier, ready, type VerifyOutcome } from '../src/index.js';

const hex = (s: string) => Uint8Array.from(s.match(/../g)!.map((h) => parseInt(h, 16)));
const toHex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const u32 = (b: Uint8Array, o: number) => ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
const uuid = (b: Uint8Array) => toHex(b).replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');
const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};

/** RFC 4648 §6 Base32 without padding, as docs/qr-format.md states it. */
function base32(text: string): Uint8Array {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const out: number[] = [];
  let acc = 0;
  let bits = 0;
  for (const ch of text) {
    const v = alphabet.indexOf(ch);
    if (v < 0) throw new Error(`not Base32: ${ch}`);
    acc = (acc << 5) | v;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push((acc >>> bits) & 0xff);
    }
  }
  expect(acc & ((1 << bits) - 1)).toBe(0);
  return Uint8Array.from(out);
}

function verifyDevice(algorithm: string, field: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (algorithm === 'Ed25519') {
    expect(field[0]).toBe(0);
    return ed25519.verify(signature, message, field.subarray(1));
  }
  expect([2, 3]).toContain(field[0]);
  return p256.verify(signature, sha256(message), field, { prehash: false, lowS: false });
}

describe('device-bound code vectors, from the documented format alone', () => {
  it('each valid code decomposes as documented: Base32 → pass ‖ step ‖ device signature; pass → header ‖ AEAD(fields ‖ issuer signature)', () => {
    const gateKey = hex(vectors.keys.gate.keyHex);
    const issuer = hex(vectors.keys.issuing.publicKeyHex);
    for (const v of vectors.valid) {
      expect(v.text).toHaveLength(426);
      const code = base32(v.text);
      expect(code).toHaveLength(266);
      expect(toHex(code)).toBe(v.codeHex);
      const pass = code.subarray(0, 198);
      expect(toHex(pass)).toBe(v.passHex);
      const header = pass.subarray(0, 37);
      expect(header[0]).toBe(2);
      expect(toHex(header.subarray(1, 5))).toBe(v.gateKid);
      expect(new TextDecoder().decode(header.subarray(5, 13)).replace(/\0+$/, '')).toBe(v.claims.hallCode);
      expect(toHex(header.subarray(13, 37))).toBe(v.nonceHex);

      const plaintext = xchacha20poly1305(gateKey, header.subarray(13, 37), header).decrypt(pass.subarray(37));
      expect(plaintext).toHaveLength(145);
      expect(toHex(plaintext)).toBe(v.passPlaintextHex);
      expect(toHex(plaintext.subarray(0, 4))).toBe(v.issuingKid);
      expect(uuid(plaintext.subarray(4, 20))).toBe(v.claims.seatId);
      expect(uuid(plaintext.subarray(20, 36))).toBe(v.claims.eventId);
      expect(u32(plaintext, 36)).toBe(v.claims.generation);
      expect(u32(plaintext, 40)).toBe(v.claims.validFrom);
      expect(u32(plaintext, 44)).toBe(v.claims.validUntil);
      const field = plaintext.subarray(48, 81);
      expect(toHex(field)).toBe(v.claims.deviceKeyFieldHex);

      const passMessage = concat(hex(vectors.passSigningContextHex), header.subarray(0, 13), plaintext.subarray(0, 81));
      expect(toHex(passMessage)).toBe(v.passSignedMessageHex);
      expect(ed25519.verify(plaintext.subarray(81), passMessage, issuer)).toBe(true);

      expect(u32(code, 198)).toBe(v.step);
      const codeMessage = concat(hex(vectors.codeSigningContextHex), code.subarray(0, 202));
      expect(toHex(codeMessage)).toBe(v.codeSignedMessageHex);
      expect(verifyDevice(v.device.algorithm, field, codeMessage, code.subarray(202))).toBe(true);
      // The key in the pass is the phone's key as WebCrypto exports it (compressed for P-256).
      const raw = hex(v.device.publicKeyHex);
      if (v.device.algorithm === 'Ed25519') expect(toHex(field.subarray(1))).toBe(v.device.publicKeyHex);
      else expect(toHex(p256.ProjectivePoint.fromHex(raw).toRawBytes(true))).toBe(toHex(field));
    }
  });

  it('a code from the copied pass, signed by a key that is not in it, fails the device check', () => {
    const copied = vectors.invalid.find((x) => x.name === 'copied-pass')!;
    const code = base32(copied.input);
    const plaintext = xchacha20poly1305(hex(vectors.keys.gate.keyHex), code.subarray(13, 37), code.subarray(0, 37)).decrypt(
      code.subarray(37, 198),
    );
    const message = concat(hex(vectors.codeSigningContextHex), code.subarray(0, 202));
    expect(verifyDevice('Ed25519', plaintext.subarray(48, 81), message, code.subarray(202))).toBe(false);
    // ...while it verifies under the copier's own key: the signature is real, just not the pass's.
    expect(ed25519.verify(code.subarray(202), message, hex(vectors.keys.copiedToDevice.publicKeyHex))).toBe(true);
  });
});

describe('device-bound code vectors, through the project verifier', () => {
  let verifier: CredentialVerifier;
  beforeAll(async () => {
    await ready();
    verifier = new CredentialVerifier({
      gateKeys: vectors.verifier.gateKeys.map((k) => ({ kid: k.kid, key: hex(k.keyHex) })),
      issuingKeys: vectors.verifier.issuingPublicKeys.map((k) => ({ kid: k.kid, publicKey: hex(k.publicKeyHex) })),
      skewSeconds: vectors.verifier.skewSeconds,
      stepSkew: vectors.verifier.stepSkew,
    });
  });

  it('every check of every valid vector gives the published outcome', () => {
    for (const v of vectors.valid)
      for (const c of v.checks) expect(verifier.verify(c.input, c.nowMs), `${v.name} @ ${c.nowMs}`).toEqual(c.expect as VerifyOutcome);
  });

  it('every invalid vector gives the published reason', () => {
    for (const v of vectors.invalid) expect(verifier.verify(v.input, v.nowMs), v.name).toEqual(v.expect as VerifyOutcome);
  });

  it('the outcomes cover valid, expired and not-yet-valid', () => {
    const statuses = new Set(vectors.valid.flatMap((v) => v.checks.map((c) => c.expect.status)));
    expect([...statuses].sort()).toEqual(['expired', 'not_yet_valid', 'valid']);
  });

  it('the committed file is what the generator produces', async () => {
    expect(JSON.parse(JSON.stringify(await makePassVectorFile()))).toEqual(vectors);
  });
});

import { describe, expect, it } from 'vitest';
import { encodeBase32 } from '../src/base32.js';
import { CREDENTIAL_BYTES, HEADER_BYTES, H_HALL, H_VERSION } from '../src/credential-layout.js';
import { buildCredential } from '../src/issue.js';
import {
  CREDENTIAL_TEXT_LENGTH,
  CredentialVerifier,
  decodeBase32,
  generateGateKey,
  generateIssuingKeyPair,
  issueCredential,
  issuingPublicKeyOf,
  normaliseScan,
  type VerifyOutcome,
} from '../src/index.js';
import { claims, fixture, T0 } from './helpers.js';

const at = (sec: number) => sec * 1000;

describe('credential round trip', () => {
  it('issues 258 Base32 characters that verify back to the same claims', async () => {
    const f = await fixture();
    const c = claims({ generation: 42 });
    const text = issueCredential(c, f);
    expect(text).toHaveLength(CREDENTIAL_TEXT_LENGTH);
    expect(text).toHaveLength(258);
    expect(text).toMatch(/^[A-Z2-7]+$/);
    expect(text).toMatch(/^A[E-H]/); // version byte 0x01, as docs/qr-format.md says
    expect(f.verifier.verify(text, at(T0 + 5))).toEqual({ status: 'valid', claims: c, ageSeconds: 5 });
  });

  it('returns UUIDs in lower-case canonical form whatever case they were issued in', async () => {
    const f = await fixture();
    const c = claims({ seatId: 'ABCDEF01-2345-6789-ABCD-EF0123456789' });
    const out = f.verifier.verify(issueCredential(c, f), at(T0));
    expect(out.status === 'valid' && out.claims.seatId).toBe('abcdef01-2345-6789-abcd-ef0123456789');
  });

  it('carries the ticket generation through, including the uint32 extremes', async () => {
    const f = await fixture();
    for (const generation of [0, 1, 7, 65_536, 0xffff_ffff]) {
      const out = f.verifier.verify(issueCredential(claims({ generation }), f), at(T0));
      expect(out.status === 'valid' && out.claims.generation).toBe(generation);
    }
  });

  it('uses a fresh nonce per issue, so two codes for the same claims differ', async () => {
    const f = await fixture();
    const c = claims();
    expect(issueCredential(c, f)).not.toBe(issueCredential(c, f));
  });

  it('accepts lower case, surrounding whitespace and scanner suffixes', async () => {
    const f = await fixture();
    const c = claims();
    const text = issueCredential(c, f);
    for (const scanned of [
      text.toLowerCase(),
      `${text}\r\n`,
      `${text}\n`,
      `${text}\r`,
      `${text}\t`,
      `  ${text.toLowerCase()}\r\n`,
      `\u0002${text}\u0003`,
      `\u00a0${text}\ufeff`,
    ]) {
      expect(f.verifier.verify(scanned, at(T0)).status).toBe('valid');
      expect(normaliseScan(scanned)).toBe(text);
    }
  });

  it('rejects invalid claims at issue time', async () => {
    const f = await fixture();
    expect(() => issueCredential(claims({ seatId: 'nope' }), f)).toThrow(TypeError);
    expect(() => issueCredential(claims({ eventId: '' }), f)).toThrow(TypeError);
    expect(() => issueCredential(claims({ hallCode: 'hall-a' }), f)).toThrow(TypeError);
    expect(() => issueCredential(claims({ hallCode: 'HALL-ABCD' }), f)).toThrow(TypeError);
    expect(() => issueCredential(claims({ hallCode: '' }), f)).toThrow(TypeError);
    expect(() => issueCredential(claims({ generation: -1 }), f)).toThrow(RangeError);
    expect(() => issueCredential(claims({ generation: 1.5 }), f)).toThrow(RangeError);
    expect(() => issueCredential(claims({ issuedAt: 2 ** 32 }), f)).toThrow(RangeError);
  });
});

describe('tampering and wrong keys', () => {
  it('rejects every single-byte change of a valid credential (all 255 deltas at all 161 positions)', async () => {
    const f = await fixture();
    const c = claims();
    const bytes = decodeBase32(issueCredential(c, f))!;
    expect(bytes).toHaveLength(CREDENTIAL_BYTES);
    expect(f.verifier.verify(encodeBase32(bytes), at(T0)).status).toBe('valid');
    const reasons = new Map<string, number>();
    for (let pos = 0; pos < bytes.length; pos++) {
      for (let delta = 1; delta < 256; delta++) {
        const copy = bytes.slice();
        copy[pos]! ^= delta;
        const out = f.verifier.verify(encodeBase32(copy), at(T0));
        if (out.status !== 'invalid') throw new Error(`byte ${pos} ^ ${delta} gave ${out.status}`);
        reasons.set(out.reason, (reasons.get(out.reason) ?? 0) + 1);
      }
    }
    // Version byte → unknown_version, gate key id → unknown_key_id, all the rest → AEAD failure.
    expect(reasons.get('unknown_version')).toBe(255);
    expect(reasons.get('unknown_key_id')).toBe(4 * 255);
    expect(reasons.get('decryption_failed')).toBe((CREDENTIAL_BYTES - 5) * 255);
  });

  it('rejects every single-character substitution of the text', async () => {
    const f = await fixture();
    const text = issueCredential(claims(), f);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
    for (let i = 0; i < text.length; i++) {
      for (const ch of alphabet) {
        if (ch === text[i]) continue;
        const out = f.verifier.verify(text.slice(0, i) + ch + text.slice(i + 1), at(T0));
        if (out.status !== 'invalid') throw new Error(`char ${i} → ${ch} gave ${out.status}`);
      }
    }
  });

  it('wrong gate key with the same key id → decryption_failed', async () => {
    const f = await fixture();
    const impostor = { kid: f.gate.kid, key: generateGateKey().key };
    const out = f.verifier.verify(issueCredential(claims(), { issuing: f.issuing, gate: impostor }), at(T0));
    expect(out).toEqual({ status: 'invalid', reason: 'decryption_failed' });
  });

  it('wrong issuing key with the same key id (a stolen kiosk forging) → signature_failed', async () => {
    const f = await fixture();
    const forger = generateIssuingKeyPair();
    const out = f.verifier.verify(issueCredential(claims(), { issuing: { ...forger, kid: f.issuing.kid }, gate: f.gate }), at(T0));
    expect(out).toEqual({ status: 'invalid', reason: 'signature_failed' });
  });

  it('unknown issuing key id → unknown_key_id, with the (authenticated) hall code', async () => {
    const f = await fixture();
    const out = f.verifier.verify(issueCredential(claims({ hallCode: 'B' }), { issuing: generateIssuingKeyPair(), gate: f.gate }), at(T0));
    expect(out).toEqual({ status: 'invalid', reason: 'unknown_key_id', hallCode: 'B' });
  });

  it("unknown gate key id (another hall's event) → unknown_key_id with the hall hint", async () => {
    const f = await fixture();
    const other = generateGateKey();
    const out = f.verifier.verify(issueCredential(claims({ hallCode: 'HALL-X' }), { issuing: f.issuing, gate: other }), at(T0));
    expect(out).toEqual({ status: 'invalid', reason: 'unknown_key_id', hallCode: 'HALL-X' });
  });

  it('omits the hall hint when the clear hall field is not well-formed', async () => {
    const f = await fixture();
    const bytes = decodeBase32(issueCredential(claims(), { issuing: f.issuing, gate: generateGateKey() }))!;
    for (const junk of [[0x61], [0x00, 0x41], [0x0a], [0x00]]) {
      const copy = bytes.slice();
      copy.set(junk, H_HALL);
      if (junk.length === 1 && junk[0] === 0x00) copy.fill(0, H_HALL, H_HALL + 8);
      expect(f.verifier.verify(encodeBase32(copy), at(T0))).toEqual({ status: 'invalid', reason: 'unknown_key_id' });
    }
  });

  it('classifies malformed text', async () => {
    const f = await fixture();
    const text = issueCredential(claims(), f);
    const expectReason = (input: string, reason: string) => expect(f.verifier.verify(input, at(T0))).toEqual({ status: 'invalid', reason });
    expectReason('', 'wrong_length');
    expectReason('\r\n', 'wrong_length');
    expectReason(text.slice(0, -1), 'wrong_length');
    expectReason(text.slice(0, 200), 'wrong_length');
    expectReason(`${text}A`, 'wrong_length');
    expectReason(`${text}========`, 'not_base32');
    expectReason(text.slice(0, 100) + '0' + text.slice(101), 'not_base32');
    expectReason(text.slice(0, 100) + ' ' + text.slice(101), 'not_base32');
    expectReason(`https://example.com/?t=${text}`, 'not_base32');
    expectReason(`${'Z'.repeat(257)}A`, 'unknown_version');
    expectReason('Z'.repeat(300), 'unknown_version');
    // Last character carries 3 data bits and 2 padding bits, which must be zero.
    const lastBits = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'.indexOf(text[257]!);
    expect(lastBits & 3).toBe(0);
    expectReason(text.slice(0, 257) + 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'[lastBits | 1], 'not_base32');
  });

  it('a newer version byte is unknown_version, whatever its length', async () => {
    const f = await fixture();
    const bytes = decodeBase32(issueCredential(claims(), f))!;
    bytes[H_VERSION] = 3; // 2 is the device-bound code
    expect(f.verifier.verify(encodeBase32(bytes), at(T0))).toEqual({ status: 'invalid', reason: 'unknown_version' });
    expect(f.verifier.verify(encodeBase32(bytes.subarray(0, HEADER_BYTES)), at(T0))).toEqual({
      status: 'invalid',
      reason: 'unknown_version',
    });
  });

  it('never accepts non-string input (JavaScript callers)', async () => {
    const f = await fixture();
    for (const junk of [undefined, null, 42, {}, [], Symbol('x')]) {
      expect(f.verifier.verify(junk as unknown as string)).toEqual({ status: 'invalid', reason: 'not_base32' });
    }
  });
});

describe('freshness window', () => {
  const statusAt = (v: CredentialVerifier, text: string, ms: number): VerifyOutcome['status'] => v.verify(text, ms).status;

  it('is valid from issuedAt - skew to issuedAt + 60 s + skew (default skew 10 s)', async () => {
    const f = await fixture();
    const text = issueCredential(claims(), f);
    expect(statusAt(f.verifier, text, at(T0))).toBe('valid');
    expect(statusAt(f.verifier, text, at(T0 + 60))).toBe('valid');
    expect(statusAt(f.verifier, text, at(T0 + 70))).toBe('valid');
    expect(statusAt(f.verifier, text, at(T0 + 70) + 1)).toBe('expired');
    expect(statusAt(f.verifier, text, at(T0 + 3600))).toBe('expired');
    expect(statusAt(f.verifier, text, at(T0 - 10))).toBe('valid');
    expect(statusAt(f.verifier, text, at(T0 - 10) - 1)).toBe('not_yet_valid');
  });

  it('reports the age and the claims with expired and not_yet_valid', async () => {
    const f = await fixture();
    const c = claims({ generation: 9 });
    const text = issueCredential(c, f);
    expect(f.verifier.verify(text, at(T0 + 95))).toEqual({ status: 'expired', claims: c, ageSeconds: 95 });
    expect(f.verifier.verify(text, at(T0 - 30))).toEqual({ status: 'not_yet_valid', claims: c, ageSeconds: -30 });
  });

  it('honours a configured ttl and skew', async () => {
    const f = await fixture({ ttlSeconds: 30, skewSeconds: 0 });
    const text = issueCredential(claims(), f);
    expect(statusAt(f.verifier, text, at(T0 + 30))).toBe('valid');
    expect(statusAt(f.verifier, text, at(T0 + 31))).toBe('expired');
    expect(statusAt(f.verifier, text, at(T0) - 1)).toBe('not_yet_valid');
  });

  it('uses the wall clock when nowMs is omitted or not finite, never treating NaN as fresh', async () => {
    const f = await fixture();
    const fresh = issueCredential(claims({ issuedAt: Math.floor(Date.now() / 1000) }), f);
    expect(f.verifier.verify(fresh).status).toBe('valid');
    expect(f.verifier.verify(fresh, Number.NaN).status).toBe('valid');
    const ancient = issueCredential(claims({ issuedAt: 1000 }), f);
    expect(f.verifier.verify(ancient, Number.NaN).status).toBe('expired');
    expect(f.verifier.verify(ancient, Number.POSITIVE_INFINITY).status).toBe('expired');
  });

  it('refuses a negative or non-finite ttl or skew', async () => {
    const f = await fixture();
    const keys = { gateKeys: [f.gate], issuingKeys: [issuingPublicKeyOf(f.issuing)] };
    expect(() => new CredentialVerifier({ ...keys, skewSeconds: -1 })).toThrow(RangeError);
    expect(() => new CredentialVerifier({ ...keys, ttlSeconds: Number.NaN })).toThrow(RangeError);
  });
});

describe('key sets and rotation', () => {
  it('setKeys swaps keys: old gate key dropped → unknown_key_id, new one works', async () => {
    const f = await fixture();
    const oldText = issueCredential(claims(), f);
    const gate2 = generateGateKey();
    const issuing2 = generateIssuingKeyPair();
    const newText = issueCredential(claims(), { issuing: issuing2, gate: gate2 });
    expect(f.verifier.verify(newText, at(T0)).status).toBe('invalid');
    // Rotation window: both generations accepted.
    f.verifier.setKeys([f.gate, gate2], [issuingPublicKeyOf(f.issuing), issuingPublicKeyOf(issuing2)]);
    expect(f.verifier.verify(oldText, at(T0)).status).toBe('valid');
    expect(f.verifier.verify(newText, at(T0)).status).toBe('valid');
    // Old ones retired.
    f.verifier.setKeys([gate2], [issuingPublicKeyOf(issuing2)]);
    expect(f.verifier.verify(oldText, at(T0))).toMatchObject({ status: 'invalid', reason: 'unknown_key_id' });
    expect(f.verifier.verify(newText, at(T0)).status).toBe('valid');
  });

  it('a rejected key set leaves the previous one in force', async () => {
    const f = await fixture();
    const text = issueCredential(claims(), f);
    expect(() => f.verifier.setKeys([{ kid: 'XYZ', key: new Uint8Array(32) }], [])).toThrow(TypeError);
    expect(() => f.verifier.setKeys([f.gate], [{ kid: f.issuing.kid, publicKey: new Uint8Array(31) }])).toThrow(TypeError);
    expect(f.verifier.verify(text, at(T0)).status).toBe('valid');
  });

  it('copes with two live keys sharing a key id', async () => {
    const f = await fixture();
    const twinGate = { kid: f.gate.kid, key: generateGateKey().key };
    const twinIssuing = { ...generateIssuingKeyPair(), kid: f.issuing.kid };
    const v = new CredentialVerifier({
      gateKeys: [twinGate, f.gate],
      issuingKeys: [issuingPublicKeyOf(twinIssuing), issuingPublicKeyOf(f.issuing)],
    });
    expect(v.verify(issueCredential(claims(), f), at(T0)).status).toBe('valid');
    expect(v.verify(issueCredential(claims(), { issuing: twinIssuing, gate: twinGate }), at(T0)).status).toBe('valid');
  });

  it('does not see later mutation of the key arrays it was given', async () => {
    const f = await fixture();
    const text = issueCredential(claims(), f);
    const gate = { kid: f.gate.kid, key: f.gate.key.slice() };
    const v = new CredentialVerifier({ gateKeys: [gate], issuingKeys: [issuingPublicKeyOf(f.issuing)] });
    gate.key.fill(0);
    expect(v.verify(text, at(T0)).status).toBe('valid');
  });
});

describe('deterministic core', () => {
  it('fixed keys and nonce give fixed bytes (Ed25519 is deterministic)', async () => {
    const f = await fixture();
    const c = claims();
    const nonce = new Uint8Array(24).fill(7);
    const a = buildCredential(c, f, nonce);
    const b = buildCredential(c, f, nonce);
    expect(a.bytes).toEqual(b.bytes);
    expect(f.verifier.verify(encodeBase32(a.bytes), at(T0)).status).toBe('valid');
  });
});

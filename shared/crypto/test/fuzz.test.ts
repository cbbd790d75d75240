import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeBase32 } from '../src/base32.js';
import { kidToUint32, writeUint32 } from '../src/bytes.js';
import { CREDENTIAL_BYTES, H_GATE_KID, H_HALL, H_NONCE, HEADER_BYTES, PLAINTEXT_BYTES, P_ISSUING_KID } from '../src/credential-layout.js';
import { getSodium } from '../src/sodium.js';
import { normaliseScan, type InvalidReason, type VerifyOutcome } from '../src/index.js';
import { fixture, prng, T0, type Fixture } from './helpers.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567abcdefghijklmnopqrstuvwxyz';
const REASONS: InvalidReason[] = [
  'not_base32',
  'wrong_length',
  'unknown_version',
  'unknown_key_id',
  'decryption_failed',
  'signature_failed',
];

let f: Fixture;
// The public verify() has a last-resort catch; fuzz the inner method so an input
// that would have thrown fails the test instead of hiding behind the safety net.
let verifyBare: (text: string, nowMs: number) => VerifyOutcome;

beforeAll(async () => {
  f = await fixture();
  const inner = (f.verifier as unknown as { verifyUnguarded(t: string, n: number): VerifyOutcome }).verifyUnguarded;
  verifyBare = inner.bind(f.verifier);
});

function tally(outcomes: Map<string, number>, out: VerifyOutcome): void {
  if (out.status !== 'invalid') throw new Error(`random input verified as ${out.status}`);
  if (!REASONS.includes(out.reason)) throw new Error(`unexpected reason ${String(out.reason)}`);
  outcomes.set(out.reason, (outcomes.get(out.reason) ?? 0) + 1);
}

describe('verifier never throws and never accepts random input', () => {
  it('100,000 random strings', () => {
    const next = prng(0xc0ffee);
    // Random slices of random pools: generating 100,000 strings character by
    // character would cost more than verifying them.
    const pool = (size: number, char: () => number) => {
      const codes = new Uint16Array(size);
      for (let i = 0; i < size; i++) codes[i] = char();
      let out = '';
      for (let i = 0; i < size; i += 4096) out += String.fromCharCode(...codes.subarray(i, i + 4096));
      return out;
    };
    const SIZE = 1 << 16;
    const upper = pool(SIZE, () => ALPHABET.charCodeAt(next() % 32));
    const mixed = pool(SIZE, () => ALPHABET.charCodeAt(next() % ALPHABET.length));
    const printable = pool(SIZE, () => 0x20 + (next() % 95));
    const utf16 = pool(SIZE, () => next() & 0xffff); // lone surrogates included
    const slice = (p: string, len: number) => {
      const at = next() % (p.length - len);
      return p.slice(at, at + len);
    };
    const pads = ['', ' ', '\r\n', '\t', '\u3000', '\u0000'];
    const outcomes = new Map<string, number>();
    for (let n = 0; n < 100_000; n++) {
      let text: string;
      switch (next() % 8) {
        case 0:
          text = slice(upper, next() % 400);
          break;
        case 1:
          text = slice(upper, 258);
          break;
        case 2:
          text = slice(mixed, 258);
          break;
        case 3:
          text = `AE${slice(upper, 256)}`;
          break; // version byte 1: reaches the key lookup
        case 4:
          text = slice(printable, next() % 300);
          break;
        case 5:
          text = slice(utf16, next() % 300);
          break;
        case 6:
          text = slice(upper, 1000 + (next() % 5000));
          break; // a wedge scanner stuck on repeat
        default:
          text = pads[next() % pads.length]! + slice(mixed, 258) + pads[next() % pads.length]!;
      }
      tally(outcomes, verifyBare(text, T0 * 1000));
    }
    expect([...outcomes.keys()].sort()).toEqual(['not_base32', 'unknown_key_id', 'unknown_version', 'wrong_length']);
  });

  it('100,000 random byte payloads, a quarter of them under a known gate key id', () => {
    const next = prng(0xbadc0de);
    const outcomes = new Map<string, number>();
    const gateKid = kidToUint32(f.gate.kid);
    const buf = new Uint8Array(320);
    const words = new Uint32Array(buf.buffer);
    for (let n = 0; n < 100_000; n++) {
      for (let i = 0; i < words.length; i++) words[i] = next();
      const shape = n % 8;
      const len = shape === 0 ? next() % 320 : CREDENTIAL_BYTES;
      if (shape >= 2) buf[0] = 1;
      if (shape >= 6) writeUint32(buf, H_GATE_KID, gateKid);
      tally(outcomes, verifyBare(encodeBase32(buf.subarray(0, len)), T0 * 1000));
    }
    expect(outcomes.get('decryption_failed')).toBeGreaterThan(20_000);
    expect(outcomes.get('unknown_key_id')).toBeGreaterThan(40_000);
  });

  it('2,000 payloads that pass the AEAD but carry random claims and signatures', () => {
    const sodium = getSodium();
    const next = prng(42);
    const outcomes = new Map<string, number>();
    for (let n = 0; n < 2000; n++) {
      const header = new Uint8Array(HEADER_BYTES);
      header[0] = 1;
      writeUint32(header, H_GATE_KID, kidToUint32(f.gate.kid));
      header.set(new TextEncoder().encode('HALL-A'), H_HALL);
      for (let i = H_NONCE; i < HEADER_BYTES; i++) header[i] = next() & 0xff;
      const plaintext = new Uint8Array(PLAINTEXT_BYTES);
      for (let i = 0; i < plaintext.length; i++) plaintext[i] = next() & 0xff;
      if (n % 2 === 0) writeUint32(plaintext, P_ISSUING_KID, kidToUint32(f.issuing.kid));
      const sealed = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, header, null, header.subarray(H_NONCE), f.gate.key);
      const bytes = new Uint8Array(CREDENTIAL_BYTES);
      bytes.set(header);
      bytes.set(sealed, HEADER_BYTES);
      tally(outcomes, verifyBare(encodeBase32(bytes), T0 * 1000));
    }
    expect(outcomes.get('signature_failed')).toBe(1000);
    expect(outcomes.get('unknown_key_id')).toBe(1000);
  });

  it('arbitrary Unicode strings (fast-check), through the public API and normaliseScan', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), fc.double(), (text, now) => {
        const out = f.verifier.verify(text, now);
        expect(out.status).toBe('invalid');
        expect(typeof normaliseScan(text)).toBe('string');
        expect(f.verifier.verify(normaliseScan(text), now)).toEqual(out);
      }),
      { numRuns: 1000 },
    );
  });
});

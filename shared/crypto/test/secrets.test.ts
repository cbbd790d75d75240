import { describe, expect, it } from 'vitest';
import {
  generateOtp,
  hashOtp,
  hashPassword,
  passwordNeedsRehash,
  PWHASH_INTERACTIVE,
  verifyOtp,
  verifyPassword,
  type PwhashParams,
} from '../src/index.js';

// Cheap parameters: the wasm hash is synchronous, and the suite must stay fast.
const CHEAP: PwhashParams = { opsLimit: 1, memLimitBytes: 64 * 1024 };
const PEPPER = 'test-pepper-0123456789';

describe('password hashing (argon2id)', () => {
  it('documents and uses the interactive parameters by default', async () => {
    expect(PWHASH_INTERACTIVE).toEqual({ opsLimit: 2, memLimitBytes: 67_108_864 });
    const encoded = await hashPassword('correct horse');
    expect(encoded).toMatch(/^\$argon2id\$v=19\$m=65536,t=2,p=1\$/);
    expect(await verifyPassword(encoded, 'correct horse')).toBe(true);
    expect(await passwordNeedsRehash(encoded)).toBe(false);
  });

  it('verifies the right password only, with a fresh salt per hash', async () => {
    const a = await hashPassword('s3cret!', CHEAP);
    const b = await hashPassword('s3cret!', CHEAP);
    expect(a).not.toBe(b);
    expect(await verifyPassword(a, 's3cret!')).toBe(true);
    expect(await verifyPassword(a, 's3cret')).toBe(false);
    expect(await verifyPassword(a, '')).toBe(false);
    expect(await passwordNeedsRehash(a)).toBe(true);
  });

  it('treats canonically equivalent Unicode passwords as the same', async () => {
    const composed = 'caf\u00e9';
    const decomposed = 'cafe\u0301';
    expect(await verifyPassword(await hashPassword(composed, CHEAP), decomposed)).toBe(true);
  });

  it('returns false, not an exception, for junk stored hashes', async () => {
    for (const junk of ['', 'x', '$argon2id$v=19$m=8,t=1,p=1$AAAA', '$2b$10$abcdefghijklmnopqrstuv']) {
      expect(await verifyPassword(junk, 'pw')).toBe(false);
    }
  });

  it('refuses parameters below the argon2id minimum', async () => {
    await expect(hashPassword('pw', { opsLimit: 0, memLimitBytes: 1 << 20 })).rejects.toThrow(RangeError);
    await expect(hashPassword('pw', { opsLimit: 1, memLimitBytes: 1024 })).rejects.toThrow(RangeError);
  });
});

describe('one-time codes', () => {
  it('are six digits, leading zeros kept, and close to uniform', () => {
    const counts = new Array<number>(10).fill(0);
    const N = 20_000;
    for (let i = 0; i < N; i++) {
      const code = generateOtp();
      expect(code).toMatch(/^[0-9]{6}$/);
      for (const ch of code) counts[Number(ch)]!++;
    }
    // Chi-square over all 6·N digits, 9 degrees of freedom: 27.9 is the p = 0.001 critical value.
    const expected = (6 * N) / 10;
    const chi2 = counts.reduce((acc, c) => acc + (c - expected) ** 2 / expected, 0);
    expect(chi2).toBeLessThan(27.9);
  });

  it('hash and verify in constant time against a peppered HMAC', () => {
    const code = '012345';
    const hash = hashOtp(code, PEPPER);
    expect(hash).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(hashOtp(code, PEPPER)).toBe(hash);
    expect(verifyOtp(code, hash, PEPPER)).toBe(true);
    expect(verifyOtp(' 012345\n', hash, PEPPER)).toBe(true);
    expect(verifyOtp('012346', hash, PEPPER)).toBe(false);
    expect(verifyOtp(code, hash, `${PEPPER}x`)).toBe(false);
    expect(verifyOtp(code, hash, new TextEncoder().encode(PEPPER))).toBe(true);
  });

  it('never throws on user input or stored-hash junk, only on a misconfigured pepper', () => {
    const hash = hashOtp('999999', PEPPER);
    for (const junk of ['', '99999', '9999999', 'abcdef', '99 9999', '９９９９９９']) expect(verifyOtp(junk, hash, PEPPER)).toBe(false);
    for (const junk of ['', 'x', `${hash}A`, hash.slice(1), '!'.repeat(43)]) expect(verifyOtp('999999', junk, PEPPER)).toBe(false);
    expect(verifyOtp(undefined as unknown as string, hash, PEPPER)).toBe(false);
    expect(() => hashOtp('12345', PEPPER)).toThrow(TypeError);
    expect(() => hashOtp('123456', 'short')).toThrow(RangeError);
    expect(() => verifyOtp('123456', hash, new Uint8Array(8))).toThrow(RangeError);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBase32, encodeBase32 } from '../src/index.js';

const te = (s: string) => new TextEncoder().encode(s);

describe('Base32 (RFC 4648 §6, no padding)', () => {
  it('matches the RFC 4648 §10 test vectors without padding', () => {
    const cases: Array<[string, string]> = [
      ['', ''],
      ['f', 'MY'],
      ['fo', 'MZXQ'],
      ['foo', 'MZXW6'],
      ['foob', 'MZXW6YQ'],
      ['fooba', 'MZXW6YTB'],
      ['foobar', 'MZXW6YTBOI'],
    ];
    for (const [plain, encoded] of cases) {
      expect(encodeBase32(te(plain))).toBe(encoded);
      expect(decodeBase32(encoded)).toEqual(te(plain));
      expect(decodeBase32(encoded.toLowerCase())).toEqual(te(plain));
    }
  });

  it('round-trips any bytes and only ever emits A-Z and 2-7', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const text = encodeBase32(bytes);
        expect(text).toMatch(/^[A-Z2-7]*$/);
        expect(decodeBase32(text)).toEqual(bytes);
      }),
      { numRuns: 2000 },
    );
  });

  it('rejects padding, foreign characters, impossible lengths and non-zero trailing bits', () => {
    expect(decodeBase32('MY======')).toBeNull();
    expect(decodeBase32('MZXW6YT0')).toBeNull(); // 0 is not in the alphabet
    expect(decodeBase32('MZXW6YT1')).toBeNull();
    expect(decodeBase32('M')).toBeNull(); // 1 char = 5 bits: no byte
    expect(decodeBase32('MZX')).toBeNull(); // 3 chars: not an encoder output length
    expect(decodeBase32('MZ')).toBeNull(); // 'f' is MY; MZ sets a trailing bit
  });
});

// RFC 4648 §6 Base32, upper case, no padding. Only A–Z and 2–7 so the QR stays in
// alphanumeric mode and keyboard-wedge scanners under any layout type it back intact.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** char code → 5-bit value, 255 for anything else; lower case accepted (scanners and people type it). */
const DECODE = new Uint8Array(128).fill(255);
for (let i = 0; i < 32; i++) {
  DECODE[ALPHABET.charCodeAt(i)] = i;
  DECODE[ALPHABET.toLowerCase().charCodeAt(i)] = i;
}

export function base32Length(byteLength: number): number {
  return Math.ceil((byteLength * 8) / 5);
}

export function encodeBase32(bytes: Uint8Array): string {
  let out = '';
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < bytes.length; i++) {
    acc = ((acc << 8) | bytes[i]!) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += ALPHABET[(acc >>> bits) & 31];
    }
  }
  if (bits > 0) out += ALPHABET[(acc << (5 - bits)) & 31];
  return out;
}

export function isBase32Char(code: number): boolean {
  return code < 128 && DECODE[code] !== 255;
}

/** 5-bit value of a Base32 character code (either case); 255 when it is not one. */
export function base32Value(code: number): number {
  return code < 128 ? DECODE[code]! : 255;
}

export type Base32DecodeResult = 'ok' | 'not_base32' | 'wrong_length';

/**
 * Decodes text[start, end) into out[0, out.length) without allocating; the verifier
 * reuses one buffer per instance. The text length must be exactly base32Length(out.length)
 * and the unused trailing bits zero, so every byte string has exactly one accepted text.
 */
export function decodeBase32Into(text: string, start: number, end: number, out: Uint8Array): Base32DecodeResult {
  if (end - start !== base32Length(out.length)) return 'wrong_length';
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    const v = c < 128 ? DECODE[c]! : 255;
    if (v === 255) return 'not_base32';
    acc = ((acc << 5) | v) & 0xfff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >>> bits) & 0xff;
    }
  }
  if ((acc & ((1 << bits) - 1)) !== 0) return 'not_base32';
  return 'ok';
}

/** General decoder (lower case accepted, no whitespace handling); null when not canonical unpadded Base32. */
export function decodeBase32(text: string): Uint8Array | null {
  const n = text.length;
  const byteLength = Math.floor((n * 5) / 8);
  // Lengths 1, 3 and 6 (mod 8) leave ≥ 5 spare bits: no encoder produces them.
  if (base32Length(byteLength) !== n) return null;
  const out = new Uint8Array(byteLength);
  return decodeBase32Into(text, 0, n, out) === 'ok' ? out : null;
}

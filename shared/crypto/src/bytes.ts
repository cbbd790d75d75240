// Small byte/text conversions shared by the key, layout and verifier modules.

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const BASE64URL_RE = /^[A-Za-z0-9_-]*$/;
const HEX_RE = /^(?:[0-9a-fA-F]{2})*$/;
const UUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const KID_RE = /^[0-9a-f]{8}$/;

export function toBase64Url(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64url');
}

/** Strict: Node's own decoder silently skips junk, which would let a corrupted key string decode to the wrong bytes. */
export function fromBase64Url(s: string): Uint8Array {
  if (typeof s !== 'string' || !BASE64URL_RE.test(s) || s.length % 4 === 1) {
    throw new TypeError('not a base64url string (RFC 4648 §5, no padding)');
  }
  const out = new Uint8Array(Buffer.from(s, 'base64url'));
  // Unused low bits of the last character must be zero, so each byte string has exactly one text form.
  if (toBase64Url(out) !== s) throw new TypeError('non-canonical base64url string');
  return out;
}

export function toHex(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += HEX[b[i]!]!;
  return s;
}

export function fromHex(s: string): Uint8Array {
  if (typeof s !== 'string' || !HEX_RE.test(s)) throw new TypeError('not a hex string');
  return new Uint8Array(Buffer.from(s, 'hex'));
}

export function isUuid(s: unknown): s is string {
  return typeof s === 'string' && UUID_RE.test(s);
}

export function writeUuid(uuid: string, out: Uint8Array, offset: number): void {
  if (!isUuid(uuid)) throw new TypeError(`not a UUID: ${String(uuid)}`);
  const hex = uuid.replace(/-/g, '');
  for (let i = 0; i < 16; i++) out[offset + i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
}

/** Lower-case canonical 8-4-4-4-12 form; on the verifier's hot path, hence the lookup table. */
export function readUuid(b: Uint8Array, o: number): string {
  return (
    HEX[b[o]!]! +
    HEX[b[o + 1]!]! +
    HEX[b[o + 2]!]! +
    HEX[b[o + 3]!]! +
    '-' +
    HEX[b[o + 4]!]! +
    HEX[b[o + 5]!]! +
    '-' +
    HEX[b[o + 6]!]! +
    HEX[b[o + 7]!]! +
    '-' +
    HEX[b[o + 8]!]! +
    HEX[b[o + 9]!]! +
    '-' +
    HEX[b[o + 10]!]! +
    HEX[b[o + 11]!]! +
    HEX[b[o + 12]!]! +
    HEX[b[o + 13]!]! +
    HEX[b[o + 14]!]! +
    HEX[b[o + 15]!]!
  );
}

export function isKid(s: unknown): s is string {
  return typeof s === 'string' && KID_RE.test(s);
}

export function kidToUint32(kid: string): number {
  if (!isKid(kid)) throw new TypeError(`key id must be 8 lower-case hex characters, got ${JSON.stringify(kid)}`);
  return parseInt(kid, 16) >>> 0;
}

export function uint32ToKid(n: number): string {
  return (n >>> 0).toString(16).padStart(8, '0');
}

export function readUint32(b: Uint8Array, o: number): number {
  return ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
}

export function writeUint32(b: Uint8Array, o: number, v: number): void {
  b[o] = v >>> 24;
  b[o + 1] = (v >>> 16) & 0xff;
  b[o + 2] = (v >>> 8) & 0xff;
  b[o + 3] = v & 0xff;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

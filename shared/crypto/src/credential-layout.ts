// The v1 credential byte layout. docs/qr-format.md is the normative description;
// the offsets here must stay in step with it and with test-vectors/credentials.json.
//
//   header (clear, = AEAD associated data)          37 bytes
//     0   version            u8      = 1
//     1   gate key id        4 bytes
//     5   hall code          8 bytes ASCII [A-Z0-9-], right-padded with 0x00
//     13  nonce              24 bytes XChaCha20 nonce
//   ciphertext = XChaCha20-Poly1305-IETF(gate key, nonce, AAD = header, plaintext) 124 bytes
//     plaintext (108 bytes)
//       0   issuing key id   4 bytes
//       4   seat id          16 bytes (UUID)
//       20  event id         16 bytes (UUID)
//       36  generation       u32 big-endian
//       40  issued-at        u32 big-endian, unix seconds
//       44  signature        64 bytes Ed25519 over SIGNING_CONTEXT ‖ header[0..13) ‖ plaintext[0..44)
//     tag                    16 bytes
//   total 161 bytes → 258 Base32 characters

export const CREDENTIAL_VERSION = 1;

export const KID_BYTES = 4;
export const HALL_CODE_BYTES = 8;
export const NONCE_BYTES = 24;
export const UUID_BYTES = 16;
export const SIGNATURE_BYTES = 64;
export const TAG_BYTES = 16;

export const H_VERSION = 0;
export const H_GATE_KID = 1;
export const H_HALL = H_GATE_KID + KID_BYTES; // 5
export const H_NONCE = H_HALL + HALL_CODE_BYTES; // 13
export const HEADER_BYTES = H_NONCE + NONCE_BYTES; // 37
/** The part of the header covered by the signature: the nonce is an encryption detail, not a claim. */
export const SIGNED_HEADER_BYTES = H_NONCE; // 13

export const P_ISSUING_KID = 0;
export const P_SEAT = P_ISSUING_KID + KID_BYTES; // 4
export const P_EVENT = P_SEAT + UUID_BYTES; // 20
export const P_GENERATION = P_EVENT + UUID_BYTES; // 36
export const P_ISSUED_AT = P_GENERATION + 4; // 40
export const P_SIGNATURE = P_ISSUED_AT + 4; // 44
export const PLAINTEXT_BYTES = P_SIGNATURE + SIGNATURE_BYTES; // 108
export const CIPHERTEXT_BYTES = PLAINTEXT_BYTES + TAG_BYTES; // 124

export const CREDENTIAL_BYTES = HEADER_BYTES + CIPHERTEXT_BYTES; // 161
export const CREDENTIAL_TEXT_LENGTH = Math.ceil((CREDENTIAL_BYTES * 8) / 5); // 258

/**
 * Domain separation: the issuing key may one day sign other things (the planned
 * offline-rotating format, manifests); a fixed prefix keeps a signature made for
 * one of them from ever verifying as a credential.
 */
export const SIGNING_CONTEXT = new TextEncoder().encode('TICKETGATE:CRED:');
export const SIGNED_MESSAGE_BYTES = SIGNING_CONTEXT.length + SIGNED_HEADER_BYTES + P_SIGNATURE; // 73

const HALL_CODE_RE = /^[A-Z0-9-]{1,8}$/;

export function isValidHallCode(s: unknown): s is string {
  return typeof s === 'string' && HALL_CODE_RE.test(s);
}

export function writeHallCode(hall: string, out: Uint8Array, offset: number): void {
  if (!isValidHallCode(hall)) {
    throw new TypeError(`hall code must be 1-${HALL_CODE_BYTES} characters of A-Z, 0-9 or '-', got ${JSON.stringify(hall)}`);
  }
  for (let i = 0; i < HALL_CODE_BYTES; i++) out[offset + i] = i < hall.length ? hall.charCodeAt(i) : 0;
}

/**
 * Parses the fixed-width field; undefined unless it is exactly what writeHallCode
 * produces. The field is also read as an unauthenticated hint, so it must never
 * yield control characters or other junk for a UI to display.
 */
export function readHallCode(b: Uint8Array, offset: number): string | undefined {
  let s = '';
  let i = 0;
  for (; i < HALL_CODE_BYTES; i++) {
    const c = b[offset + i]!;
    if (c === 0) break;
    const ok = (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x2d;
    if (!ok) return undefined;
    s += String.fromCharCode(c);
  }
  if (i === 0) return undefined;
  for (; i < HALL_CODE_BYTES; i++) if (b[offset + i] !== 0) return undefined;
  return s;
}

/** Fills `out` (SIGNED_MESSAGE_BYTES long) with the exact bytes the issuing key signs. */
export function writeSignedMessage(out: Uint8Array, header: Uint8Array, plaintext: Uint8Array): void {
  out.set(SIGNING_CONTEXT, 0);
  out.set(header.subarray(0, SIGNED_HEADER_BYTES), SIGNING_CONTEXT.length);
  out.set(plaintext.subarray(0, P_SIGNATURE), SIGNING_CONTEXT.length + SIGNED_HEADER_BYTES);
}

// The device-bound ticket code (format version 2): its byte layout, the bytes
// each key signs and how the phone assembles a code. Platform-free, because the
// fan app (a browser bundle) makes codes and the gates' verifier
// (@ticketgate/crypto) reads them; docs/qr-format.md is the normative text.
//
//   pass (198 bytes, issued by the server, opaque to the phone)
//     header (clear, = AEAD associated data)                      37 bytes
//       0   version        u8 = 2
//       1   gate key id    4 bytes
//       5   hall code      8 bytes ASCII [A-Z0-9-], right-padded with 0x00
//       13  nonce          24 bytes XChaCha20 nonce
//     sealed = XChaCha20-Poly1305-IETF(gate key, nonce, AAD = header, plaintext)   161 bytes
//       plaintext (145 bytes)
//         0   issuing key id   4 bytes
//         4   seat id          16 bytes (UUID)
//         20  event id         16 bytes (UUID)
//         36  generation       u32
//         40  valid from       u32 unix seconds
//         44  valid until      u32 unix seconds
//         48  device key       33 bytes: 0x00 ‖ Ed25519 public key, or SEC1 compressed P-256 (0x02|0x03 ‖ x)
//         81  issuer signature 64 bytes Ed25519 over PASS_SIGNING_CONTEXT ‖ header[0..13) ‖ plaintext[0..81)
//       tag                    16 bytes
//   code (266 bytes → 426 Base32 characters)
//     0    pass             198 bytes
//     198  time step        u32 = floor(unix seconds / 15)
//     202  device signature 64 bytes over CODE_SIGNING_CONTEXT ‖ code[0..202)
//          (Ed25519, or ECDSA P-256 with SHA-256 as r ‖ s, 32 bytes each)

import { encodeBase32 } from './base32.js';

export const PASS_CODE_VERSION = 2;
/** The code changes every step; a gate accepts the current step ± its configured skew (default one step). */
export const STEP_SECONDS = 15;
export const DEFAULT_STEP_SKEW = 1;

export const PASS_HEADER_BYTES = 37;
export const PASS_SIGNED_HEADER_BYTES = 13;
export const PASS_NONCE_OFFSET = 13;

export const PP_ISSUING_KID = 0;
export const PP_SEAT = 4;
export const PP_EVENT = 20;
export const PP_GENERATION = 36;
export const PP_VALID_FROM = 40;
export const PP_VALID_UNTIL = 44;
export const PP_DEVICE_KEY = 48;
export const DEVICE_KEY_FIELD_BYTES = 33;
export const PP_ISSUER_SIGNATURE = PP_DEVICE_KEY + DEVICE_KEY_FIELD_BYTES; // 81
export const PASS_PLAINTEXT_BYTES = PP_ISSUER_SIGNATURE + 64; // 145
export const PASS_BYTES = PASS_HEADER_BYTES + PASS_PLAINTEXT_BYTES + 16; // 198

export const C_STEP = PASS_BYTES; // 198
export const C_DEVICE_SIGNATURE = C_STEP + 4; // 202
export const CODE_BYTES = C_DEVICE_SIGNATURE + 64; // 266
export const CODE_TEXT_LENGTH = Math.ceil((CODE_BYTES * 8) / 5); // 426

/** First byte of the device key field: which algorithm the phone signs with. */
export const DEVICE_KEY_ED25519 = 0x00;
export type DeviceKeyAlgorithm = 'Ed25519' | 'P-256';

const ascii = (s: string) => new TextEncoder().encode(s);
/** Domain separation: nothing else the issuing key signs (v1 credentials, manifests) can pass as a pass. */
export const PASS_SIGNING_CONTEXT = ascii('TICKETGATE:PASS:');
/** What the phone's key signs; a fixed prefix keeps that key's signatures to this one use. */
export const CODE_SIGNING_CONTEXT = ascii('TICKETGATE:CODE:');
export const PASS_SIGNED_MESSAGE_BYTES = PASS_SIGNING_CONTEXT.length + PASS_SIGNED_HEADER_BYTES + PP_ISSUER_SIGNATURE; // 110
export const CODE_SIGNED_MESSAGE_BYTES = CODE_SIGNING_CONTEXT.length + C_DEVICE_SIGNATURE; // 218

/** The time step of an instant (epoch ms). */
export function stepAt(ms: number): number {
  return Math.floor(ms / 1000 / STEP_SECONDS);
}

/** The algorithm a device key field names, or null when it names none. */
export function deviceKeyAlgorithm(field: Uint8Array): DeviceKeyAlgorithm | null {
  if (field.length !== DEVICE_KEY_FIELD_BYTES) return null;
  if (field[0] === DEVICE_KEY_ED25519) return 'Ed25519';
  if (field[0] === 0x02 || field[0] === 0x03) return 'P-256';
  return null;
}

/** Fills `out` (CODE_SIGNED_MESSAGE_BYTES long) with what the device signs for `step`: context ‖ pass ‖ step. */
export function writeCodeSignedMessage(out: Uint8Array, pass: Uint8Array, step: number): void {
  out.set(CODE_SIGNING_CONTEXT, 0);
  out.set(pass.subarray(0, PASS_BYTES), CODE_SIGNING_CONTEXT.length);
  const o = CODE_SIGNING_CONTEXT.length + C_STEP;
  out[o] = step >>> 24;
  out[o + 1] = (step >>> 16) & 0xff;
  out[o + 2] = (step >>> 8) & 0xff;
  out[o + 3] = step & 0xff;
}

export function codeSignedMessage(pass: Uint8Array, step: number): Uint8Array {
  if (pass.length !== PASS_BYTES) throw new TypeError(`a pass is ${PASS_BYTES} bytes, got ${pass.length}`);
  const out = new Uint8Array(CODE_SIGNED_MESSAGE_BYTES);
  writeCodeSignedMessage(out, pass, step);
  return out;
}

/** The code text for one step: Base32(pass ‖ step ‖ device signature). */
export function assembleCode(pass: Uint8Array, step: number, deviceSignature: Uint8Array): string {
  if (pass.length !== PASS_BYTES) throw new TypeError(`a pass is ${PASS_BYTES} bytes, got ${pass.length}`);
  if (deviceSignature.length !== 64) throw new TypeError('a device signature is 64 bytes');
  const code = new Uint8Array(CODE_BYTES);
  code.set(pass, 0);
  // The step bytes are the same as in the signed message.
  code.set(codeSignedMessage(pass, step).subarray(CODE_SIGNING_CONTEXT.length + C_STEP), C_STEP);
  code.set(deviceSignature, C_DEVICE_SIGNATURE);
  return encodeBase32(code);
}

/** Fills `out` (PASS_SIGNED_MESSAGE_BYTES long) with what the issuing key signs: context ‖ version, gate kid, hall ‖ the claims. */
export function writePassSignedMessage(out: Uint8Array, header: Uint8Array, plaintext: Uint8Array): void {
  out.set(PASS_SIGNING_CONTEXT, 0);
  out.set(header.subarray(0, PASS_SIGNED_HEADER_BYTES), PASS_SIGNING_CONTEXT.length);
  out.set(plaintext.subarray(0, PP_ISSUER_SIGNATURE), PASS_SIGNING_CONTEXT.length + PASS_SIGNED_HEADER_BYTES);
}

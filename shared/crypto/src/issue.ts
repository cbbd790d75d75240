import { randomBytes, sign } from 'node:crypto';
import { encodeBase32 } from './base32.js';
import { isKid, isUuid, kidToUint32, writeUint32, writeUuid } from './bytes.js';
import {
  CREDENTIAL_BYTES,
  CREDENTIAL_VERSION,
  HEADER_BYTES,
  H_GATE_KID,
  H_HALL,
  H_NONCE,
  H_VERSION,
  NONCE_BYTES,
  PLAINTEXT_BYTES,
  P_EVENT,
  P_GENERATION,
  P_ISSUED_AT,
  P_ISSUING_KID,
  P_SEAT,
  P_SIGNATURE,
  SIGNED_MESSAGE_BYTES,
  writeHallCode,
  writeSignedMessage,
} from './credential-layout.js';
import { cachedPrivateKeyObject, GATE_KEY_BYTES, type GateKey, type IssuingKeyPair } from './keys.js';
import { getSodium } from './sodium.js';
import type { TicketClaims } from './types.js';

const UINT32_MAX = 0xffff_ffff;

export function checkUint32(v: unknown, what: string): asserts v is number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > UINT32_MAX) {
    throw new RangeError(`${what} must be an integer in [0, 2^32-1], got ${String(v)}`);
  }
}

export interface CredentialParts {
  /** The 161 credential bytes (header ‖ ciphertext ‖ tag). */
  bytes: Uint8Array;
  /** The 73 bytes the issuing key signed. */
  signedMessage: Uint8Array;
  /** The 108-byte AEAD plaintext (fields ‖ signature). */
  plaintext: Uint8Array;
}

/** What every issued code starts from (v1 credential and v2 pass): a seat, an event, a generation, keys and a fresh nonce. */
export function checkIssueInput(
  claims: { seatId: string; eventId: string; generation: number },
  keys: { issuing: IssuingKeyPair; gate: GateKey },
  nonce: Uint8Array,
): void {
  if (!isUuid(claims.seatId)) throw new TypeError(`seatId must be a UUID, got ${JSON.stringify(claims.seatId)}`);
  if (!isUuid(claims.eventId)) throw new TypeError(`eventId must be a UUID, got ${JSON.stringify(claims.eventId)}`);
  checkUint32(claims.generation, 'generation');
  if (!isKid(keys.issuing.kid) || !isKid(keys.gate.kid)) throw new TypeError('key ids must be 8 lower-case hex characters');
  if (!(keys.gate.key instanceof Uint8Array) || keys.gate.key.length !== GATE_KEY_BYTES) {
    throw new TypeError(`gate key must be ${GATE_KEY_BYTES} bytes`);
  }
  if (!(nonce instanceof Uint8Array) || nonce.length !== NONCE_BYTES) throw new TypeError(`nonce must be ${NONCE_BYTES} bytes`);
}

/**
 * Deterministic core of issueCredential: Ed25519 is deterministic, so fixed keys and
 * a fixed nonce give fixed bytes. Only the test-vector script and tests pass a nonce;
 * a reused nonce under one gate key breaks XChaCha20-Poly1305, so production code
 * must go through issueCredential.
 */
export function buildCredential(
  claims: TicketClaims,
  keys: { issuing: IssuingKeyPair; gate: GateKey },
  nonce: Uint8Array,
): CredentialParts {
  checkIssueInput(claims, keys, nonce);
  checkUint32(claims.issuedAt, 'issuedAt (unix seconds)');

  const bytes = new Uint8Array(CREDENTIAL_BYTES);
  const header = bytes.subarray(0, HEADER_BYTES);
  header[H_VERSION] = CREDENTIAL_VERSION;
  writeUint32(header, H_GATE_KID, kidToUint32(keys.gate.kid));
  writeHallCode(claims.hallCode, header, H_HALL);
  header.set(nonce, H_NONCE);

  const plaintext = new Uint8Array(PLAINTEXT_BYTES);
  writeUint32(plaintext, P_ISSUING_KID, kidToUint32(keys.issuing.kid));
  writeUuid(claims.seatId, plaintext, P_SEAT);
  writeUuid(claims.eventId, plaintext, P_EVENT);
  writeUint32(plaintext, P_GENERATION, claims.generation);
  writeUint32(plaintext, P_ISSUED_AT, claims.issuedAt);

  const signedMessage = new Uint8Array(SIGNED_MESSAGE_BYTES);
  writeSignedMessage(signedMessage, header, plaintext);
  plaintext.set(sign(null, signedMessage, cachedPrivateKeyObject(keys.issuing.privateKey)), P_SIGNATURE);

  const sealed = getSodium().crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, header, null, nonce, keys.gate.key);
  bytes.set(sealed, HEADER_BYTES);
  return { bytes, signedMessage, plaintext };
}

/** Issues the Base32 credential text for one QR refresh. Throws on invalid claims or keys (server-side programming errors). */
export function issueCredential(claims: TicketClaims, keys: { issuing: IssuingKeyPair; gate: GateKey }): string {
  return encodeBase32(buildCredential(claims, keys, new Uint8Array(randomBytes(NONCE_BYTES))).bytes);
}

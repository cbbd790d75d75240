import { randomBytes, sign } from 'node:crypto';
import {
  PASS_BYTES,
  PASS_CODE_VERSION,
  PASS_HEADER_BYTES,
  PASS_NONCE_OFFSET,
  PASS_PLAINTEXT_BYTES,
  PASS_SIGNED_MESSAGE_BYTES,
  PP_DEVICE_KEY,
  PP_EVENT,
  PP_GENERATION,
  PP_ISSUER_SIGNATURE,
  PP_ISSUING_KID,
  PP_SEAT,
  PP_VALID_FROM,
  PP_VALID_UNTIL,
  writePassSignedMessage,
  type DeviceKeyAlgorithm,
} from '@ticketgate/protocol/pass-code';
import { kidToUint32, writeUint32, writeUuid } from './bytes.js';
import { H_GATE_KID, H_HALL, NONCE_BYTES, writeHallCode } from './credential-layout.js';
import { deviceKeyField } from './device-key.js';
import { checkIssueInput, checkUint32 } from './issue.js';
import { cachedPrivateKeyObject, type GateKey, type IssuingKeyPair } from './keys.js';
import { getSodium } from './sodium.js';

/** What a device-bound pass says: the ticket, its validity window and the one phone key that may show it. */
export interface PassClaims {
  seatId: string;
  eventId: string;
  hallCode: string;
  generation: number;
  /** Unix seconds: the pass makes admissible codes from validFrom to validUntil (gate skew on both ends). */
  validFrom: number;
  validUntil: number;
  device: { algorithm: DeviceKeyAlgorithm; publicKey: Uint8Array };
}

export interface PassParts {
  /** The 198 pass bytes (header ‖ ciphertext ‖ tag). */
  bytes: Uint8Array;
  /** The 110 bytes the issuing key signed. */
  signedMessage: Uint8Array;
  /** The 145-byte AEAD plaintext (fields ‖ signature). */
  plaintext: Uint8Array;
}

/**
 * Deterministic core of issuePass: fixed keys and nonce give fixed bytes (test
 * vectors). As with credentials, a reused nonce under one gate key breaks the
 * AEAD, so production goes through issuePass.
 */
export function buildPass(claims: PassClaims, keys: { issuing: IssuingKeyPair; gate: GateKey }, nonce: Uint8Array): PassParts {
  checkIssueInput(claims, keys, nonce);
  checkUint32(claims.validFrom, 'validFrom (unix seconds)');
  checkUint32(claims.validUntil, 'validUntil (unix seconds)');
  if (claims.validUntil <= claims.validFrom) throw new RangeError('validUntil must be after validFrom');

  const bytes = new Uint8Array(PASS_BYTES);
  const header = bytes.subarray(0, PASS_HEADER_BYTES);
  header[0] = PASS_CODE_VERSION;
  writeUint32(header, H_GATE_KID, kidToUint32(keys.gate.kid));
  writeHallCode(claims.hallCode, header, H_HALL);
  header.set(nonce, PASS_NONCE_OFFSET);

  const plaintext = new Uint8Array(PASS_PLAINTEXT_BYTES);
  writeUint32(plaintext, PP_ISSUING_KID, kidToUint32(keys.issuing.kid));
  writeUuid(claims.seatId, plaintext, PP_SEAT);
  writeUuid(claims.eventId, plaintext, PP_EVENT);
  writeUint32(plaintext, PP_GENERATION, claims.generation);
  writeUint32(plaintext, PP_VALID_FROM, claims.validFrom);
  writeUint32(plaintext, PP_VALID_UNTIL, claims.validUntil);
  plaintext.set(deviceKeyField(claims.device.algorithm, claims.device.publicKey), PP_DEVICE_KEY);

  const signedMessage = new Uint8Array(PASS_SIGNED_MESSAGE_BYTES);
  writePassSignedMessage(signedMessage, header, plaintext);
  plaintext.set(sign(null, signedMessage, cachedPrivateKeyObject(keys.issuing.privateKey)), PP_ISSUER_SIGNATURE);

  bytes.set(getSodium().crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, header, null, nonce, keys.gate.key), PASS_HEADER_BYTES);
  return { bytes, signedMessage, plaintext };
}

/** Issues the pass bytes for one device binding. Throws on invalid claims or keys (server-side programming errors). */
export function issuePass(claims: PassClaims, keys: { issuing: IssuingKeyPair; gate: GateKey }): Uint8Array {
  return buildPass(claims, keys, new Uint8Array(randomBytes(NONCE_BYTES))).bytes;
}

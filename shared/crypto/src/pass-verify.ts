import { verify as signatureVerify, type KeyObject } from 'node:crypto';
import {
  CODE_BYTES,
  CODE_SIGNED_MESSAGE_BYTES,
  C_DEVICE_SIGNATURE,
  C_STEP,
  DEVICE_KEY_FIELD_BYTES,
  PASS_BYTES,
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
  STEP_SECONDS,
  deviceKeyAlgorithm,
  writeCodeSignedMessage,
  writePassSignedMessage,
} from '@ticketgate/protocol/pass-code';
import { readUint32, readUuid } from './bytes.js';
import { H_GATE_KID, H_HALL, readHallCode } from './credential-layout.js';
import { devicePublicKeyObject } from './device-key.js';
import type { InvalidReason, VerifyOutcome } from './types.js';

/** What the device-bound path borrows from the verifier that owns it: key tables, the AEAD, its settings. */
export interface PassCodeKeys {
  gateKeys: Map<number, Uint8Array[]>;
  issuingKeys: Map<number, KeyObject[]>;
  open(sealed: Uint8Array, header: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array | undefined;
  skewSeconds: number;
  stepSkew: number;
}

const invalid = (reason: InvalidReason): VerifyOutcome => ({ status: 'invalid', reason });

// Parsed device keys by their 33 bytes: a fan shows the same pass for every scan
// of a session, and a KeyObject import costs more than the AEAD. Bounded, so a
// stream of forged passes cannot grow it (they fail before this point anyway).
const DEVICE_KEY_CACHE_MAX = 4096;

/**
 * Reads and checks a version-2 code (docs/qr-format.md, "Device-bound code"):
 * the pass opens with the event's gate key, carries the issuing key's signature,
 * and the device key inside it signed (pass, step); then the step and the pass
 * window decide freshness. Holds scratch buffers, so one instance per verifier.
 */
export class PassCodeVerifier {
  private readonly code = new Uint8Array(CODE_BYTES);
  private readonly pass = this.code.subarray(0, PASS_BYTES);
  private readonly header = this.code.subarray(0, PASS_HEADER_BYTES);
  private readonly nonce = this.code.subarray(PASS_NONCE_OFFSET, PASS_HEADER_BYTES);
  private readonly sealed = this.code.subarray(PASS_HEADER_BYTES, PASS_BYTES);
  private readonly passMessage = new Uint8Array(PASS_SIGNED_MESSAGE_BYTES);
  private readonly codeMessage = new Uint8Array(CODE_SIGNED_MESSAGE_BYTES);
  private readonly deviceKeys = new Map<string, KeyObject | null>();

  /** The buffer the caller Base32-decodes the text into before calling check(). */
  get buffer(): Uint8Array {
    return this.code;
  }

  check(keys: PassCodeKeys, nowMs: number): VerifyOutcome {
    const gateCandidates = keys.gateKeys.get(readUint32(this.header, H_GATE_KID));
    if (gateCandidates === undefined) {
      const hallCode = readHallCode(this.header, H_HALL);
      return hallCode === undefined ? invalid('unknown_key_id') : { status: 'invalid', reason: 'unknown_key_id', hallCode };
    }
    let plaintext: Uint8Array | undefined;
    for (const key of gateCandidates) {
      plaintext = keys.open(this.sealed, this.header, this.nonce, key);
      if (plaintext !== undefined) break;
    }
    if (plaintext === undefined || plaintext.length !== PASS_PLAINTEXT_BYTES) return invalid('decryption_failed');
    const hallCode = readHallCode(this.header, H_HALL);
    if (hallCode === undefined) return invalid('unknown_version');

    const issuingCandidates = keys.issuingKeys.get(readUint32(plaintext, PP_ISSUING_KID));
    if (issuingCandidates === undefined) return { status: 'invalid', reason: 'unknown_key_id', hallCode };
    writePassSignedMessage(this.passMessage, this.header, plaintext);
    const issuerSignature = plaintext.subarray(PP_ISSUER_SIGNATURE);
    if (!issuingCandidates.some((k) => signatureVerify(null, this.passMessage, k, issuerSignature))) return invalid('signature_failed');

    // The pass is the server's word from here on; the rest is the phone's.
    const device = this.deviceKey(plaintext.subarray(PP_DEVICE_KEY, PP_DEVICE_KEY + DEVICE_KEY_FIELD_BYTES));
    if (device === null) return invalid('device_signature_failed');
    const step = readUint32(this.code, C_STEP);
    writeCodeSignedMessage(this.codeMessage, this.pass, step);
    const deviceSignature = this.code.subarray(C_DEVICE_SIGNATURE);
    const options = device.algorithm === 'P-256' ? { key: device.key, dsaEncoding: 'ieee-p1363' as const } : device.key;
    if (!signatureVerify(device.algorithm === 'P-256' ? 'sha256' : null, this.codeMessage, options, deviceSignature)) {
      return invalid('device_signature_failed');
    }

    const stepStart = step * STEP_SECONDS;
    const claims = {
      seatId: readUuid(plaintext, PP_SEAT),
      eventId: readUuid(plaintext, PP_EVENT),
      hallCode,
      generation: readUint32(plaintext, PP_GENERATION),
      issuedAt: stepStart,
    };
    const nowSeconds = nowMs / 1000;
    const ageSeconds = nowSeconds - stepStart;
    // Both the pass window and the step must hold; whichever fails names the outcome.
    if (nowSeconds > readUint32(plaintext, PP_VALID_UNTIL) + keys.skewSeconds) return { status: 'expired', claims, ageSeconds };
    if (nowSeconds < readUint32(plaintext, PP_VALID_FROM) - keys.skewSeconds) return { status: 'not_yet_valid', claims, ageSeconds };
    const behind = Math.floor(nowSeconds / STEP_SECONDS) - step;
    if (behind > keys.stepSkew) return { status: 'expired', claims, ageSeconds };
    if (behind < -keys.stepSkew) return { status: 'not_yet_valid', claims, ageSeconds };
    return { status: 'valid', claims, ageSeconds };
  }

  private deviceKey(field: Uint8Array): { algorithm: 'Ed25519' | 'P-256'; key: KeyObject } | null {
    const algorithm = deviceKeyAlgorithm(field);
    if (algorithm === null) return null;
    const id = Buffer.from(field.buffer, field.byteOffset, field.byteLength).toString('latin1');
    let key = this.deviceKeys.get(id);
    if (key === undefined) {
      try {
        key = devicePublicKeyObject(field);
      } catch {
        key = null;
      }
      if (this.deviceKeys.size >= DEVICE_KEY_CACHE_MAX) this.deviceKeys.clear();
      this.deviceKeys.set(id, key);
    }
    return key === null ? null : { algorithm, key };
  }
}

import { verify as ed25519Verify, type KeyObject } from 'node:crypto';
import { base32Value, decodeBase32Into, isBase32Char } from './base32.js';
import { isKid, kidToUint32, readUint32, readUuid } from './bytes.js';
import {
  CREDENTIAL_BYTES,
  CREDENTIAL_TEXT_LENGTH,
  CREDENTIAL_VERSION,
  HEADER_BYTES,
  H_GATE_KID,
  H_HALL,
  H_NONCE,
  H_VERSION,
  PLAINTEXT_BYTES,
  P_EVENT,
  P_GENERATION,
  P_ISSUED_AT,
  P_ISSUING_KID,
  P_SEAT,
  P_SIGNATURE,
  SIGNED_MESSAGE_BYTES,
  readHallCode,
  writeSignedMessage,
} from './credential-layout.js';
import { ed25519PublicKeyObject, GATE_KEY_BYTES, type GateKey, type IssuingPublicKey } from './keys.js';
import { CODE_TEXT_LENGTH, DEFAULT_STEP_SKEW, PASS_CODE_VERSION } from '@ticketgate/protocol/pass-code';
import { PassCodeVerifier, type PassCodeKeys } from './pass-verify.js';
import { trimEnd, trimStart } from './scan-text.js';
import { getSodium, type Sodium } from './sodium.js';
import { CREDENTIAL_TTL_SECONDS, DEFAULT_CLOCK_SKEW_SECONDS, type InvalidReason, type VerifyOutcome } from './types.js';

export interface CredentialVerifierOptions {
  gateKeys: GateKey[];
  issuingKeys: IssuingPublicKey[];
  ttlSeconds?: number;
  skewSeconds?: number;
  /** Device-bound codes: how many 15-second steps a code may be behind or ahead of the verifier's clock (default 1). */
  stepSkew?: number;
}

// Arrays per id: 4-byte ids collide with probability 2^-32 per pair, and a
// collision between two live keys should cost one extra attempt, not a dead gate.
type GateKeyTable = Map<number, Uint8Array[]>;
type IssuingKeyTable = Map<number, KeyObject[]>;

// A fresh object per result: callers may annotate outcomes, and a shared or frozen
// one would leak or throw. The allocation is noise next to an Ed25519 verify.
function invalid(reason: InvalidReason): VerifyOutcome {
  return { status: 'invalid', reason };
}

function checkSeconds(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new RangeError(`${what} must be a finite number ≥ 0`);
  return v;
}

/**
 * Offline verifier for one kiosk. Holds the gate keys of its events and the public
 * issuing keys; verify() is synchronous, allocation-light and never throws.
 * One instance is not re-entrant in the strict sense (it reuses scratch buffers),
 * which is fine because verify() never yields.
 */
export class CredentialVerifier {
  private readonly sodium: Sodium;
  private readonly ttlSeconds: number;
  private readonly skewSeconds: number;
  private gateKeys: GateKeyTable = new Map();
  private issuingKeys: IssuingKeyTable = new Map();
  private readonly bytes = new Uint8Array(CREDENTIAL_BYTES);
  private readonly header = this.bytes.subarray(0, HEADER_BYTES);
  private readonly nonce = this.bytes.subarray(H_NONCE, HEADER_BYTES);
  private readonly sealed = this.bytes.subarray(HEADER_BYTES);
  private readonly signedMessage = new Uint8Array(SIGNED_MESSAGE_BYTES);
  private readonly passCodes = new PassCodeVerifier();
  private passKeys: PassCodeKeys;

  constructor(opts: CredentialVerifierOptions) {
    this.sodium = getSodium();
    this.ttlSeconds = checkSeconds(opts.ttlSeconds ?? CREDENTIAL_TTL_SECONDS, 'ttlSeconds');
    this.skewSeconds = checkSeconds(opts.skewSeconds ?? DEFAULT_CLOCK_SKEW_SECONDS, 'skewSeconds');
    const stepSkew = opts.stepSkew ?? DEFAULT_STEP_SKEW;
    if (!Number.isInteger(stepSkew) || stepSkew < 0 || stepSkew > 8) throw new RangeError('stepSkew must be an integer in [0, 8]');
    this.passKeys = {
      gateKeys: this.gateKeys,
      issuingKeys: this.issuingKeys,
      open: (sealed, header, nonce, key) => this.openWith(sealed, header, nonce, key),
      skewSeconds: this.skewSeconds,
      stepSkew,
    };
    this.setKeys(opts.gateKeys, opts.issuingKeys);
  }

  /** Replaces the key set (after a manifest sync or rotation). Validates everything first, so a bad set leaves the old one in place. */
  setKeys(gateKeys: GateKey[], issuingKeys: IssuingPublicKey[]): void {
    const gate: GateKeyTable = new Map();
    for (const k of gateKeys) {
      if (!isKid(k.kid)) throw new TypeError(`gate key id must be 8 lower-case hex characters, got ${JSON.stringify(k.kid)}`);
      if (!(k.key instanceof Uint8Array) || k.key.length !== GATE_KEY_BYTES)
        throw new TypeError(`gate key ${k.kid} must be ${GATE_KEY_BYTES} bytes`);
      const id = kidToUint32(k.kid);
      const list = gate.get(id) ?? [];
      if (!list.some((x) => Buffer.compare(x, k.key) === 0)) list.push(k.key.slice());
      gate.set(id, list);
    }
    const issuing: IssuingKeyTable = new Map();
    const seen = new Set<string>();
    for (const k of issuingKeys) {
      if (!isKid(k.kid)) throw new TypeError(`issuing key id must be 8 lower-case hex characters, got ${JSON.stringify(k.kid)}`);
      const dedupe = `${k.kid}:${Buffer.from(k.publicKey).toString('hex')}`;
      if (seen.has(dedupe)) continue;
      seen.add(dedupe);
      const id = kidToUint32(k.kid);
      const list = issuing.get(id) ?? [];
      list.push(ed25519PublicKeyObject(k.publicKey));
      issuing.set(id, list);
    }
    this.gateKeys = gate;
    this.issuingKeys = issuing;
    this.passKeys = { ...this.passKeys, gateKeys: gate, issuingKeys: issuing };
  }

  verify(text: string, nowMs?: number): VerifyOutcome {
    try {
      return this.verifyUnguarded(text, nowMs);
    } catch {
      // Unreachable by design (every failure path in verifyUnguarded returns); kept so a bug or
      // an exotic input can never take the gate loop down.
      return invalid('decryption_failed');
    }
  }

  private verifyUnguarded(text: string, nowMs: number | undefined): VerifyOutcome {
    if (typeof text !== 'string') return invalid('not_base32');
    const start = trimStart(text);
    const end = trimEnd(text, start);
    const bytes = this.bytes;
    // A non-finite clock would make every comparison false and so pass as "valid".
    const now = nowMs !== undefined && Number.isFinite(nowMs) ? nowMs : Date.now();

    if (end - start === CODE_TEXT_LENGTH) {
      const code = this.passCodes.buffer;
      if (decodeBase32Into(text, start, end, code) !== 'ok') return invalid('not_base32');
      if (code[H_VERSION] !== PASS_CODE_VERSION) return invalid('unknown_version');
      return this.passCodes.check(this.passKeys, now);
    }
    if (end - start !== CREDENTIAL_TEXT_LENGTH) return classifyWrongLength(text, start, end);
    if (decodeBase32Into(text, start, end, bytes) !== 'ok') return invalid('not_base32');
    if (bytes[H_VERSION] !== CREDENTIAL_VERSION) return invalid('unknown_version');

    const gateCandidates = this.gateKeys.get(readUint32(bytes, H_GATE_KID));
    if (gateCandidates === undefined) {
      const hallCode = readHallCode(bytes, H_HALL);
      return hallCode === undefined ? invalid('unknown_key_id') : { status: 'invalid', reason: 'unknown_key_id', hallCode };
    }

    let plaintext: Uint8Array | undefined;
    for (const key of gateCandidates) {
      plaintext = this.open(key);
      if (plaintext !== undefined) break;
    }
    if (plaintext === undefined || plaintext.length !== PLAINTEXT_BYTES) return invalid('decryption_failed');

    const hallCode = readHallCode(bytes, H_HALL);
    // Authentic bytes with a malformed hall field: no conforming issuer writes them.
    if (hallCode === undefined) return invalid('unknown_version');

    const issuingCandidates = this.issuingKeys.get(readUint32(plaintext, P_ISSUING_KID));
    if (issuingCandidates === undefined) return { status: 'invalid', reason: 'unknown_key_id', hallCode };

    const message = this.signedMessage;
    writeSignedMessage(message, this.header, plaintext);
    const signature = plaintext.subarray(P_SIGNATURE);
    let signed = false;
    for (const key of issuingCandidates) {
      if (ed25519Verify(null, message, key, signature)) {
        signed = true;
        break;
      }
    }
    if (!signed) return invalid('signature_failed');

    const issuedAt = readUint32(plaintext, P_ISSUED_AT);
    const claims = {
      seatId: readUuid(plaintext, P_SEAT),
      eventId: readUuid(plaintext, P_EVENT),
      hallCode,
      generation: readUint32(plaintext, P_GENERATION),
      issuedAt,
    };
    const ageSeconds = (now - issuedAt * 1000) / 1000;
    if (ageSeconds > this.ttlSeconds + this.skewSeconds) return { status: 'expired', claims, ageSeconds };
    if (ageSeconds < -this.skewSeconds) return { status: 'not_yet_valid', claims, ageSeconds };
    return { status: 'valid', claims, ageSeconds };
  }

  private open(key: Uint8Array): Uint8Array | undefined {
    return this.openWith(this.sealed, this.header, this.nonce, key);
  }

  private openWith(sealed: Uint8Array, header: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array | undefined {
    try {
      return this.sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, sealed, header, nonce, key);
    } catch {
      return undefined;
    }
  }
}

/** Neither known length: tell a different version (a newer issuer) apart from a truncated or padded scan. */
function classifyWrongLength(text: string, start: number, end: number): VerifyOutcome {
  for (let i = start; i < end; i++) if (!isBase32Char(text.charCodeAt(i))) return invalid('not_base32');
  if (end - start >= 2) {
    // The version byte is the first 5 bits of character 0 and the top 3 of character 1.
    const version = (base32Value(text.charCodeAt(start)) << 3) | (base32Value(text.charCodeAt(start + 1)) >>> 2);
    if (version !== CREDENTIAL_VERSION && version !== PASS_CODE_VERSION) return invalid('unknown_version');
  }
  return invalid('wrong_length');
}

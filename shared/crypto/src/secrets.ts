import { createHmac, getRandomValues, timingSafeEqual } from 'node:crypto';
import { getSodium, ready } from './sodium.js';

export interface PwhashParams {
  opsLimit: number;
  memLimitBytes: number;
}

/**
 * libsodium's INTERACTIVE argon2id preset: t = 2 passes over m = 64 MiB, p = 1.
 * Above OWASP's argon2id floor (m = 19 MiB, t = 2) and about 0.13 s per hash in
 * the wasm build on a small server core. Fixed numbers rather than the library's
 * constants so stored hashes and docs do not move if libsodium changes its presets;
 * the parameters are embedded in every hash string, so raising them later only
 * needs passwordNeedsRehash() on login.
 */
export const PWHASH_INTERACTIVE: PwhashParams = Object.freeze({ opsLimit: 2, memLimitBytes: 64 * 1024 * 1024 });

// libsodium's argon2id bounds (crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN).
const OPSLIMIT_MIN = 1;
const MEMLIMIT_MIN = 8192;

function checkParams(p: PwhashParams): void {
  if (!Number.isInteger(p.opsLimit) || p.opsLimit < OPSLIMIT_MIN) throw new RangeError(`opsLimit must be an integer ≥ ${OPSLIMIT_MIN}`);
  if (!Number.isInteger(p.memLimitBytes) || p.memLimitBytes < MEMLIMIT_MIN)
    throw new RangeError(`memLimitBytes must be an integer ≥ ${MEMLIMIT_MIN}`);
}

// NFC so the same password typed on two keyboards (precomposed vs combining accents)
// hashes the same (RFC 8265 OpaqueString).
function passwordBytes(password: string): Uint8Array {
  if (typeof password !== 'string') throw new TypeError('password must be a string');
  return new TextEncoder().encode(password.normalize('NFC'));
}

/**
 * argon2id, returned as the standard encoded string ($argon2id$v=19$m=…,t=…,p=1$salt$hash).
 * The wasm call is synchronous and blocks the event loop for the whole hash; a server
 * under login load should call this from a worker pool.
 */
export async function hashPassword(password: string, params: PwhashParams = PWHASH_INTERACTIVE): Promise<string> {
  checkParams(params);
  const bytes = passwordBytes(password);
  await ready();
  return getSodium().crypto_pwhash_str(bytes, params.opsLimit, params.memLimitBytes);
}

/** False for a wrong password and for anything that is not a valid encoded hash. */
export async function verifyPassword(encoded: string, password: string): Promise<boolean> {
  if (typeof encoded !== 'string' || typeof password !== 'string') return false;
  await ready();
  try {
    return getSodium().crypto_pwhash_str_verify(encoded, passwordBytes(password));
  } catch {
    return false;
  }
}

/** True when the stored hash used other parameters than `params`: rehash after a successful login. */
export async function passwordNeedsRehash(encoded: string, params: PwhashParams = PWHASH_INTERACTIVE): Promise<boolean> {
  checkParams(params);
  await ready();
  try {
    return getSodium().crypto_pwhash_str_needs_rehash(encoded, params.opsLimit, params.memLimitBytes);
  } catch {
    return true;
  }
}

export const OTP_DIGITS = 6;
const OTP_SPACE = 10 ** OTP_DIGITS;
// Largest multiple of 10^6 below 2^32: values at or above it would favour low codes.
const OTP_REJECT_FROM = Math.floor(2 ** 32 / OTP_SPACE) * OTP_SPACE;
const OTP_RE = /^[0-9]{6}$/;
const OTP_CONTEXT = 'TICKETGATE:OTP:';
const PEPPER_MIN_BYTES = 16;

/** Six uniformly distributed digits from the OS CSPRNG (rejection sampling, no modulo bias). */
export function generateOtp(): string {
  const word = new Uint32Array(1);
  for (;;) {
    getRandomValues(word);
    const x = word[0]!;
    if (x < OTP_REJECT_FROM) return String(x % OTP_SPACE).padStart(OTP_DIGITS, '0');
  }
}

function pepperBytes(pepper: Uint8Array | string): Uint8Array {
  const bytes = typeof pepper === 'string' ? new TextEncoder().encode(pepper) : pepper;
  // Only a million codes exist: the pepper is the whole defence of a leaked OTP table.
  if (!(bytes instanceof Uint8Array) || bytes.length < PEPPER_MIN_BYTES) {
    throw new RangeError(`OTP pepper must be at least ${PEPPER_MIN_BYTES} bytes of server-side secret`);
  }
  return bytes;
}

function otpMac(code: string, pepper: Uint8Array): Buffer {
  return createHmac('sha256', pepper).update(OTP_CONTEXT).update(code).digest();
}

/** HMAC-SHA256(pepper, "TICKETGATE:OTP:" ‖ code), base64url (43 characters). */
export function hashOtp(code: string, pepper: Uint8Array | string): string {
  if (typeof code !== 'string' || !OTP_RE.test(code)) throw new TypeError(`OTP must be ${OTP_DIGITS} digits`);
  return otpMac(code, pepperBytes(pepper)).toString('base64url');
}

/**
 * Constant-time check of a user-typed code against a stored hashOtp() value.
 * Surrounding whitespace is ignored; anything else malformed is simply false.
 * Throws only for a misconfigured pepper.
 */
export function verifyOtp(code: string, hash: string, pepper: Uint8Array | string): boolean {
  const key = pepperBytes(pepper);
  const candidate = typeof code === 'string' ? code.trim() : '';
  // Always compute the MAC so malformed and well-formed inputs take the same path.
  const expected = otpMac(candidate, key);
  const stored = typeof hash === 'string' && /^[A-Za-z0-9_-]{43}$/.test(hash) ? Buffer.from(hash, 'base64url') : undefined;
  if (stored === undefined || stored.length !== expected.length) return false;
  return timingSafeEqual(expected, stored) && OTP_RE.test(candidate);
}

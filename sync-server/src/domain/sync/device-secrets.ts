import { createHash, createHmac, randomBytes } from 'node:crypto';
import { encodeBase32 } from '@ticketgate/crypto';

const DEVICE_TOKEN_PREFIX = 'tgd_';

/** A gate's own credential: 256 random bits, shown once at enrolment. */
export function newDeviceToken(): string {
  return DEVICE_TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

export function looksLikeDeviceToken(token: string): boolean {
  return token.startsWith(DEVICE_TOKEN_PREFIX) && token.length < 100;
}

/** Tokens are random enough that a plain hash is as good as a slow one, and lookups stay one index probe. */
export function hashDeviceToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * One-time enrolment code, typed by an operator on the kiosk: 80 random bits
 * as 16 Base32 characters in groups of four (no 0/1/8/9 to misread).
 */
export function newEnrolmentCode(): string {
  return encodeBase32(randomBytes(10)).match(/.{4}/g)!.join('-');
}

/**
 * Keyed by the code id the gate sends (enrolmentCodeId: HKDF of the code), so a
 * leaked database row cannot be brute-forced back into a usable code without MASTER_KEY.
 */
export function hashEnrolmentCodeId(masterKey: string, codeId: string): string {
  return createHmac('sha256', masterKey).update(`enrolment-id:${codeId}`).digest('hex');
}

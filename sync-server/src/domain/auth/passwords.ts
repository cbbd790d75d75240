import { hashPassword, passwordNeedsRehash, verifyPassword, type PwhashParams } from '@ticketgate/crypto';
import type { Config } from '../../config.js';

export function passwordParams(config: Pick<Config, 'PASSWORD_HASH_OPS' | 'PASSWORD_HASH_MEM_MIB'>): PwhashParams {
  return { opsLimit: config.PASSWORD_HASH_OPS, memLimitBytes: config.PASSWORD_HASH_MEM_MIB * 1024 * 1024 };
}

export function hashUserPassword(config: Config, password: string): Promise<string> {
  return hashPassword(password, passwordParams(config));
}

// One throw-away hash per parameter set, made once: checking a password for an
// unknown email against it costs what a real check costs, so response time does
// not reveal which emails have accounts.
const dummyHashes = new Map<string, Promise<string>>();
function dummyHash(params: PwhashParams): Promise<string> {
  const key = `${params.opsLimit}:${params.memLimitBytes}`;
  let hash = dummyHashes.get(key);
  if (!hash) {
    hash = hashPassword('not-a-real-password-0', params);
    dummyHashes.set(key, hash);
  }
  return hash;
}

/** Creates the dummy hash ahead of the first login, so that login is not the slow one. */
export async function warmPasswordChecks(config: Config): Promise<void> {
  await dummyHash(passwordParams(config));
}

/**
 * Exactly one argon2id verification whether or not the account exists.
 * `stored` undefined (unknown email) always answers false.
 */
export async function checkPassword(config: Config, stored: string | undefined, password: string): Promise<boolean> {
  const ok = await verifyPassword(stored ?? (await dummyHash(passwordParams(config))), password);
  return ok && stored !== undefined;
}

/** A new hash when the stored one used other parameters than configured (after a successful login). */
export async function upgradedHash(config: Config, stored: string, password: string): Promise<string | undefined> {
  const params = passwordParams(config);
  return (await passwordNeedsRehash(stored, params)) ? hashPassword(password, params) : undefined;
}

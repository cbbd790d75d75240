import { passwordNeedsRehash, type PwhashParams } from '@ticketgate/crypto';
import type { Config } from '../../config.js';
import { createPasswordHasher, type PasswordHasher } from './password-pool.js';

export function passwordParams(config: Pick<Config, 'PASSWORD_HASH_OPS' | 'PASSWORD_HASH_MEM_MIB'>): PwhashParams {
  return { opsLimit: config.PASSWORD_HASH_OPS, memLimitBytes: config.PASSWORD_HASH_MEM_MIB * 1024 * 1024 };
}

// One hasher per server (its config object), so each app closes what it started.
const hashers = new WeakMap<Config, PasswordHasher>();

/** The server's hasher, made on first use: PASSWORD_HASH_WORKERS threads, or inline when 0. */
export function passwordHasher(config: Config): PasswordHasher {
  let h = hashers.get(config);
  if (!h) {
    h = createPasswordHasher(config.PASSWORD_HASH_WORKERS);
    hashers.set(config, h);
  }
  return h;
}

/** Ends the server's hashing threads (app onClose); a later use starts new ones. */
export async function closePasswordHashing(config: Config): Promise<void> {
  const h = hashers.get(config);
  hashers.delete(config);
  await h?.close();
}

export function hashUserPassword(config: Config, password: string): Promise<string> {
  return passwordHasher(config).hash(password, passwordParams(config));
}

// One throw-away hash per parameter set, made once: checking a password for an
// unknown email against it costs what a real check costs, so response time does
// not reveal which emails have accounts.
const dummyHashes = new Map<string, Promise<string>>();
function dummyHash(config: Config): Promise<string> {
  const params = passwordParams(config);
  const key = `${params.opsLimit}:${params.memLimitBytes}`;
  let hash = dummyHashes.get(key);
  if (!hash) {
    hash = hashUserPassword(config, 'not-a-real-password-0');
    // A hash failed by a closing or saturated pool must not stay cached.
    hash.catch(() => dummyHashes.delete(key));
    dummyHashes.set(key, hash);
  }
  return hash;
}

/** Creates the dummy hash ahead of the first login, so that login is not the slow one. */
export async function warmPasswordChecks(config: Config): Promise<void> {
  await dummyHash(config);
}

/**
 * Exactly one argon2id verification whether or not the account exists.
 * `stored` undefined (unknown email) always answers false.
 */
export async function checkPassword(config: Config, stored: string | undefined, password: string): Promise<boolean> {
  const ok = await passwordHasher(config).verify(stored ?? (await dummyHash(config)), password);
  return ok && stored !== undefined;
}

/** A new hash when the stored one used other parameters than configured (after a successful login). */
export async function upgradedHash(config: Config, stored: string, password: string): Promise<string | undefined> {
  const params = passwordParams(config);
  // Reading the parameters out of the hash string is cheap: no thread needed.
  return (await passwordNeedsRehash(stored, params)) ? hashUserPassword(config, password) : undefined;
}

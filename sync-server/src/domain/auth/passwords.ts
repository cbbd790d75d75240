import { passwordNeedsRehash, type PwhashParams } from '@ticketgate/crypto';
import type { Config } from '../../config.js';
import { createPasswordHasher, type PasswordHasher } from './password-pool.js';

export type PasswordConfig = Pick<Config, 'PASSWORD_HASH_OPS' | 'PASSWORD_HASH_MEM_MIB' | 'PASSWORD_HASH_WORKERS'>;

export function passwordParams(config: Pick<Config, 'PASSWORD_HASH_OPS' | 'PASSWORD_HASH_MEM_MIB'>): PwhashParams {
  return { opsLimit: config.PASSWORD_HASH_OPS, memLimitBytes: config.PASSWORD_HASH_MEM_MIB * 1024 * 1024 };
}

/** Password hashing of one server: built once by the composition root, closed with the app. */
export interface PasswordService {
  /** The hasher in use: PASSWORD_HASH_WORKERS threads, or inline when 0 (started on first use). */
  hasher(): PasswordHasher;
  hash(password: string): Promise<string>;
  /**
   * Exactly one argon2id verification whether or not the account exists.
   * `stored` undefined (unknown email) always answers false.
   */
  check(stored: string | undefined, password: string): Promise<boolean>;
  /** A new hash when the stored one used other parameters than configured (after a successful login). */
  upgraded(stored: string, password: string): Promise<string | undefined>;
  /** Creates the dummy hash ahead of the first login, so that login is not the slow one. */
  warm(): Promise<void>;
  /** Ends the hashing threads; a later use starts new ones. */
  close(): Promise<void>;
}

export function createPasswordService(config: PasswordConfig): PasswordService {
  const params = passwordParams(config);
  let current: PasswordHasher | undefined;
  const hasher = () => (current ??= createPasswordHasher(config.PASSWORD_HASH_WORKERS));
  const hash = (password: string) => hasher().hash(password, params);

  // One throw-away hash, made once: checking a password for an unknown email
  // against it costs what a real check costs, so response time does not reveal
  // which emails have accounts.
  let dummy: Promise<string> | undefined;
  const dummyHash = () => {
    if (!dummy) {
      const made = hash('not-a-real-password-0');
      dummy = made;
      // A hash failed by a closing or saturated pool must not stay cached.
      made.catch(() => {
        if (dummy === made) dummy = undefined;
      });
    }
    return dummy;
  };

  return {
    hasher,
    hash,
    async check(stored, password) {
      const ok = await hasher().verify(stored ?? (await dummyHash()), password);
      return ok && stored !== undefined;
    },
    async upgraded(stored, password) {
      // Reading the parameters out of the hash string is cheap: no thread needed.
      return (await passwordNeedsRehash(stored, params)) ? hash(password) : undefined;
    },
    async warm() {
      await dummyHash();
    },
    async close() {
      const h = current;
      current = undefined;
      await h?.close();
    },
  };
}

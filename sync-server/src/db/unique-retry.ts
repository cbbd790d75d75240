import { withTransaction, type Client, type Pool } from './pool.js';

/** The one-admission-per-seat index: two writers admitting a seat without a common lock order trip it. */
export const ONE_ADMISSION_PER_SEAT = 'scans_one_admission_per_seat';

const UNIQUE_VIOLATION = '23505';
/** Each retry re-reads the state that lost the race; a second loss in a row means a bug, not contention. */
const ATTEMPTS = 3;

export function isUniqueViolation(err: unknown, constraint: string): boolean {
  const e = err as { code?: string; constraint?: string } | null;
  return e?.code === UNIQUE_VIOLATION && e.constraint === constraint;
}

/**
 * Runs `fn` in a transaction and runs it again (from scratch, in a new
 * transaction) when it trips the unique index `constraint`: another writer
 * committed the row we were about to write, and deciding again sees it. Used by
 * everything that admits a seat (the online /api/verify, gate uploads).
 */
export async function retryOnUniqueViolation<T>(pool: Pool, constraint: string, fn: (db: Client) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await withTransaction(pool, fn);
    } catch (err) {
      if (attempt < ATTEMPTS && isUniqueViolation(err, constraint)) continue;
      throw err;
    }
  }
}

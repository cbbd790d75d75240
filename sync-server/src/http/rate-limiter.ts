import type { Pool } from '../db/pool.js';
import type { BackgroundJob } from '../jobs.js';

/** One fixed-window counter after a hit: how many hits the window holds, and how long until it ends (by the store's clock). */
export interface Count {
  hits: number;
  retryAfterMs: number;
}

/**
 * Where rate-limit counters live. `hit` is atomic per key, so concurrent
 * requests are counted one by one and the (max + 1)-th is always refused.
 */
export interface RateLimiter {
  readonly store: 'memory' | 'postgres';
  hit(key: string, windowMs: number): Promise<Count>;
  /** Takes one hit back (an attempt that succeeded does not count as a failure). */
  undo(key: string): Promise<void>;
  /** Forgets windows that have ended. */
  prune(): Promise<number>;
}

/** Counters in this instance's memory: each instance limits on its own. */
export function memoryRateLimiter(now: () => number = Date.now): RateLimiter {
  const windows = new Map<string, { hits: number; resetAt: number }>();
  let hitsSincePrune = 0;
  const prune = () => {
    const t = now();
    let n = 0;
    for (const [k, w] of windows) if (w.resetAt <= t && windows.delete(k)) n++;
    return n;
  };
  return {
    store: 'memory',
    async hit(key, windowMs) {
      const t = now();
      // Amortised cleanup: memory stays bounded by the keys of the current windows.
      if (++hitsSincePrune >= 10_000) {
        hitsSincePrune = 0;
        prune();
      }
      const w = windows.get(key);
      if (!w || w.resetAt <= t) {
        windows.set(key, { hits: 1, resetAt: t + windowMs });
        return { hits: 1, retryAfterMs: windowMs };
      }
      w.hits++;
      return { hits: w.hits, retryAfterMs: w.resetAt - t };
    },
    async undo(key) {
      const w = windows.get(key);
      if (w && w.hits > 0) w.hits--;
    },
    async prune() {
      return prune();
    },
  };
}

/** Counters in PostgreSQL (table rate_limits), shared by every instance: one atomic upsert per hit. */
export function postgresRateLimiter(pool: Pool): RateLimiter {
  return {
    store: 'postgres',
    async hit(key, windowMs) {
      const { rows } = await pool.query<{ hits: number; retry_after_ms: number }>(
        `INSERT INTO rate_limits AS r (key, window_start, hits, expires_at)
         VALUES ($1, clock_timestamp(), 1, clock_timestamp() + $2 * interval '1 millisecond')
         ON CONFLICT (key) DO UPDATE SET
           window_start = CASE WHEN r.expires_at <= clock_timestamp() THEN clock_timestamp() ELSE r.window_start END,
           hits         = CASE WHEN r.expires_at <= clock_timestamp() THEN 1 ELSE r.hits + 1 END,
           expires_at   = CASE WHEN r.expires_at <= clock_timestamp() THEN clock_timestamp() + $2 * interval '1 millisecond' ELSE r.expires_at END
         RETURNING hits, (extract(epoch FROM r.expires_at - clock_timestamp()) * 1000)::float8 AS retry_after_ms`,
        [key, windowMs],
      );
      return { hits: rows[0]!.hits, retryAfterMs: rows[0]!.retry_after_ms };
    },
    async undo(key) {
      await pool.query('UPDATE rate_limits SET hits = hits - 1 WHERE key = $1 AND hits > 0 AND expires_at > clock_timestamp()', [key]);
    },
    async prune() {
      const { rowCount } = await pool.query(
        'DELETE FROM rate_limits WHERE key IN (SELECT key FROM rate_limits WHERE expires_at <= clock_timestamp() LIMIT 5000 FOR UPDATE SKIP LOCKED)',
      );
      return rowCount ?? 0;
    },
  };
}

export function createRateLimiter(store: 'memory' | 'postgres', pool: Pool): RateLimiter {
  return store === 'postgres' ? postgresRateLimiter(pool) : memoryRateLimiter();
}

export const pruneRateLimitsJob: BackgroundJob = { name: 'rate-limits.prune', intervalMs: () => 60_000, run: (ctx) => ctx.limiter.prune() };

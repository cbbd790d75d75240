import type { AppContext } from '../../context.js';
import type { BackgroundJob } from '../../jobs.js';

const BATCH = 500;
const MAX_BATCHES_PER_RUN = 20;

/**
 * Releases holds whose time is up and expires their orders, in one statement
 * (one transaction) per batch. Rows are claimed with FOR UPDATE SKIP LOCKED, so
 * a seat being paid for right now (locked by /api/pay) is skipped rather than
 * waited for, and several server instances never sweep the same seat. The
 * UPDATE re-checks status and held_until on the row it locked: a hold that was
 * paid or renewed after the candidate list was read is left alone.
 */
export async function sweepExpiredHolds(ctx: Pick<AppContext, 'pool' | 'now'>): Promise<{ seats: number; orders: number }> {
  const total = { seats: 0, orders: 0 };
  for (let i = 0; i < MAX_BATCHES_PER_RUN; i++) {
    const now = new Date(ctx.now());
    const { rows } = await ctx.pool.query<{ seats: number; orders: number }>(
      `WITH claimed AS (
         SELECT id FROM seats
          WHERE status = 'HELD' AND held_until < $1
          ORDER BY held_until
          LIMIT $2
          FOR UPDATE SKIP LOCKED
       ), released AS (
         UPDATE seats s SET status = 'AVAILABLE', held_by = NULL, held_until = NULL
           FROM claimed c
          WHERE s.id = c.id AND s.status = 'HELD' AND s.held_until < $1
         RETURNING s.id
       ), expired AS (
         UPDATE orders o SET status = 'EXPIRED', updated_at = $1
          WHERE o.seat_id IN (SELECT id FROM released) AND o.status = 'PENDING'
         RETURNING o.id
       )
       SELECT (SELECT count(*) FROM released)::int AS seats, (SELECT count(*) FROM expired)::int AS orders`,
      [now, BATCH],
    );
    const r = rows[0]!;
    total.seats += r.seats;
    total.orders += r.orders;
    if (r.seats < BATCH) break;
  }
  return total;
}

export const holdSweeperJob: BackgroundJob = {
  name: 'hold-sweeper',
  intervalMs: (ctx) => ctx.config.SWEEP_INTERVAL_MS,
  run: sweepExpiredHolds,
};

import type { AppContext } from '../../context.js';
import { withTransaction } from '../../db/pool.js';
import type { BackgroundJob } from '../../jobs.js';
import { closePendingTransfers } from './close-transfer.js';

const BATCH = 500;

/**
 * Cancels pending transfers past their expiry, a batch per transaction. Rows
 * are claimed with SKIP LOCKED, so several server instances (or a confirm
 * holding a row) never make two sweepers wait on, or redo, the same transfer.
 */
export async function cancelExpiredTransfers(ctx: AppContext): Promise<number> {
  let total = 0;
  for (;;) {
    const now = new Date(ctx.now());
    const closed = await withTransaction(ctx.pool, async (db) => {
      const { rows } = await db.query<{ id: string }>(
        `SELECT id FROM transfers WHERE status = 'PENDING_OTP' AND expires_at <= $1
          ORDER BY expires_at LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`,
        [now],
      );
      return closePendingTransfers(
        db,
        rows.map((r) => r.id),
        { status: 'CANCELLED', reason: 'EXPIRED', at: now },
      );
    });
    total += closed.length;
    if (closed.length < BATCH) return total;
  }
}

export const transferExpiryJob: BackgroundJob = {
  name: 'transfer-expiry',
  intervalMs: (ctx) => ctx.config.SWEEP_INTERVAL_MS,
  run: cancelExpiredTransfers,
};

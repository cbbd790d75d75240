import type { Queryable } from '../../db/pool.js';

/**
 * Ends a pending order (EXPIRED, FAILED or CANCELLED) and frees its seat if the
 * seat still carries that order's hold. The caller holds the seat and order
 * locks (lockOrderWithSeat), so nothing can pay or renew the hold in between.
 */
export async function releaseHold(
  db: Queryable,
  order: { id: string; seat_id: string; user_id: string },
  status: 'EXPIRED' | 'FAILED' | 'CANCELLED',
  at: Date,
): Promise<boolean> {
  const ended = await db.query(`UPDATE orders SET status = $2, updated_at = $3 WHERE id = $1 AND status = 'PENDING'`, [
    order.id,
    status,
    at,
  ]);
  if (!ended.rowCount) return false;
  await db.query(
    `UPDATE seats SET status = 'AVAILABLE', held_by = NULL, held_until = NULL
      WHERE id = $1 AND status = 'HELD' AND held_by = $2`,
    [order.seat_id, order.user_id],
  );
  return true;
}

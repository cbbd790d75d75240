import type { Queryable } from '../../db/pool.js';

export type OrderStatus = 'PENDING' | 'CONFIRMED' | 'EXPIRED' | 'CANCELLED' | 'FAILED';

export interface LockedOrder {
  id: string;
  user_id: string;
  seat_id: string;
  event_id: string;
  amount_cents: number;
  status: OrderStatus;
  held_until: Date;
  otp_verified_at: Date | null;
}

export interface LockedSeat {
  id: string;
  status: 'AVAILABLE' | 'HELD' | 'SOLD' | 'CHECKED_IN';
  held_by: string | null;
  held_until: Date | null;
  row_label: string;
  seat_number: number;
}

/**
 * Locks an order's seat and then the order. Every purchase path takes its locks
 * in this order (seat, then order) — reserve and pay (reserve_seat and pay_order,
 * migration purchase_functions), OTP cancellation and the sweeper — so they queue behind each
 * other instead of deadlocking.
 */
export async function lockOrderWithSeat(db: Queryable, orderId: string): Promise<{ order: LockedOrder; seat: LockedSeat } | null> {
  // An order never changes seat, so its seat can be looked up without a lock.
  const seat = await db.query<LockedSeat>(
    `SELECT id, status, held_by, held_until, row_label, seat_number FROM seats
      WHERE id = (SELECT seat_id FROM orders WHERE id = $1) FOR UPDATE`,
    [orderId],
  );
  if (!seat.rows[0]) return null;
  const order = await db.query<LockedOrder>(
    `SELECT id, user_id, seat_id, event_id, amount_cents, status, held_until, otp_verified_at
       FROM orders WHERE id = $1 FOR UPDATE`,
    [orderId],
  );
  return { order: order.rows[0]!, seat: seat.rows[0] };
}

import type { AppContext } from '../../context.js';
import { withTransaction, type Client } from '../../db/pool.js';
import { DomainError } from '../errors.js';
import { hashClientAddress, recordPurchaseOrigin } from '../fraud/purchase-origin.js';
import { enforceHoldCap } from './hold-cap.js';
import { holdHasExpired, lockOrderWithSeat } from './order-lock.js';
import { releaseHold } from './release-hold.js';

export interface Reservation {
  orderId: string;
  seatId: string;
  heldUntil: Date;
  /** Whole seconds left on the hold at the time of the answer. */
  ttlSeconds: number;
  /** True when the user already held the seat and got their existing order back. */
  existing: boolean;
}

interface SeatForHold {
  id: string;
  status: 'AVAILABLE' | 'HELD' | 'SOLD' | 'CHECKED_IN';
  held_by: string | null;
  held_until: Date | null;
  event_id: string;
  event_date: Date;
  price_cents: number;
}

const LOCK_NOT_AVAILABLE = '55P03';
const UNIQUE_VIOLATION = '23505';

/**
 * Places a hold of HOLD_TTL_SECONDS on a seat for a user and opens its PENDING
 * order, in one transaction. The seat row is locked with NOWAIT: a competing
 * reservation in flight answers SEAT_UNAVAILABLE at once instead of queueing
 * (a pessimistic lock). A hold that ran out but was not swept yet is
 * treated as gone: its order expires and the seat can be held again.
 */
export interface ReserveInput {
  userId: string;
  seatId: string;
  /** The client's address: kept hashed for the fraud rules (docs/security.md, "Fraud signals"). */
  clientAddress?: string;
}

export async function reserveSeat(ctx: AppContext, input: ReserveInput): Promise<Reservation> {
  try {
    return await withTransaction(ctx.pool, (db) => reserveIn(db, ctx, input));
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === LOCK_NOT_AVAILABLE || code === UNIQUE_VIOLATION) {
      throw new DomainError('SEAT_UNAVAILABLE', 'Another reservation of this seat is in progress. Please select a different seat.');
    }
    throw err;
  }
}

async function reserveIn(db: Client, ctx: AppContext, input: ReserveInput): Promise<Reservation> {
  const nowMs = ctx.now();
  const now = new Date(nowMs);
  const user = await db.query('SELECT 1 FROM users WHERE id = $1', [input.userId]);
  if (!user.rowCount) throw new DomainError('USER_NOT_FOUND');

  const { rows } = await db.query<SeatForHold>(
    `SELECT s.id, s.status, s.held_by, s.held_until, s.event_id, e.event_date, c.price_cents
       FROM seats s
       JOIN events e ON e.id = s.event_id
       JOIN event_categories c ON c.event_id = s.event_id AND c.category = s.category
      WHERE s.id = $1
      FOR UPDATE OF s NOWAIT`,
    [input.seatId],
  );
  const seat = rows[0];
  if (!seat) throw new DomainError('SEAT_NOT_FOUND');
  if (seat.event_date.getTime() < nowMs) throw new DomainError('EVENT_ENDED');
  if (seat.status === 'SOLD' || seat.status === 'CHECKED_IN') throw new DomainError('SEAT_ALREADY_SOLD');

  if (seat.status === 'HELD') {
    const pending = await db.query<{ id: string; user_id: string; seat_id: string; held_until: Date }>(
      `SELECT id, user_id, seat_id, held_until FROM orders WHERE seat_id = $1 AND status = 'PENDING'`,
      [seat.id],
    );
    const order = pending.rows[0];
    if (!holdHasExpired(seat.held_until!, nowMs)) {
      if (seat.held_by === input.userId && order) return reservation(order.id, seat.id, seat.held_until!, nowMs, true);
      throw new DomainError('SEAT_UNAVAILABLE');
    }
    if (order) {
      // Seat first, then order, like every other purchase path (the seat lock is already ours).
      await lockOrderWithSeat(db, order.id);
      await releaseHold(db, order, 'EXPIRED', now);
    }
  }

  await enforceHoldCap(db, { userId: input.userId, eventId: seat.event_id, now, max: ctx.config.MAX_HOLDS_PER_USER });
  const heldUntil = new Date(nowMs + ctx.config.HOLD_TTL_SECONDS * 1000);
  const created = await db.query<{ id: string }>(
    `INSERT INTO orders (user_id, seat_id, event_id, amount_cents, held_until, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id`,
    [input.userId, seat.id, seat.event_id, seat.price_cents, heldUntil, now],
  );
  if (input.clientAddress) {
    const addressHash = hashClientAddress(ctx.config.MASTER_KEY, input.clientAddress);
    await recordPurchaseOrigin(db, { orderId: created.rows[0]!.id, userId: input.userId, addressHash, at: now });
  }
  // Last: the seat change bumps the event's sequence (trigger) and so holds the event row lock until commit.
  await db.query(`UPDATE seats SET status = 'HELD', held_by = $2, held_until = $3 WHERE id = $1`, [seat.id, input.userId, heldUntil]);
  return reservation(created.rows[0]!.id, seat.id, heldUntil, nowMs, false);
}

function reservation(orderId: string, seatId: string, heldUntil: Date, nowMs: number, existing: boolean): Reservation {
  return { orderId, seatId, heldUntil, ttlSeconds: Math.max(0, Math.ceil((heldUntil.getTime() - nowMs) / 1000)), existing };
}

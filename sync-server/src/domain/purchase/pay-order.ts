import { requireOrderAccess } from '../../policy/access.js';
import { fromCents } from '@ticketgate/protocol';
import { smsSeatDeal } from '../otp/sms-text.js';
import type { AppContext } from '../../context.js';
import { withTransaction, type Client } from '../../db/pool.js';
import { DomainError } from '../errors.js';
import type { Role } from '../auth/roles.js';
import { moveCredits } from '../credits/ledger.js';
import { otpDeps } from '../otp/otp-deps.js';
import { issueOtp } from '../otp/otp-service.js';
import { holdHasExpired, lockOrderWithSeat, type LockedOrder, type LockedSeat } from './order-lock.js';
import { releaseHold } from './release-hold.js';

export interface PaidOrder {
  orderId: string;
  seatId: string;
  chargedCents: number;
  /** Credits the user can still spend (balance minus frozen), after the debit. */
  spendableCents: number;
}

type Outcome = { kind: 'paid'; paid: PaidOrder } | { kind: 'expired' } | { kind: 'otp_sent'; phone: string };

/**
 * Confirms a held seat: credits debited (ledger kind PURCHASE), seat SOLD to the
 * order's user, order CONFIRMED — one transaction. Two outcomes commit work and
 * still fail the request, so they are thrown only after the commit: a hold found
 * expired is released here and now (HOLD_EXPIRED), and a flagged user's first
 * attempt issues an OTP (OTP_REQUIRED).
 */
export async function payOrder(ctx: AppContext, input: { actor: { id: string; role: Role }; orderId: string }): Promise<PaidOrder> {
  const outcome = await withTransaction(ctx.pool, (db) => payIn(db, ctx, input));
  switch (outcome.kind) {
    case 'paid':
      return outcome.paid;
    case 'expired':
      throw new DomainError('HOLD_EXPIRED');
    case 'otp_sent':
      throw new DomainError(
        'OTP_REQUIRED',
        `OTP verification required before payment. A code was sent to the phone ending ${outcome.phone.slice(-4)}; ` +
          `submit it to /api/verify-otp with context "purchase" and this order id as reference_id, then pay again.`,
      );
  }
}

async function payIn(db: Client, ctx: AppContext, input: { actor: { id: string; role: Role }; orderId: string }): Promise<Outcome> {
  const nowMs = ctx.now();
  const now = new Date(nowMs);
  const locked = await lockOrderWithSeat(db, input.orderId);
  if (!locked) throw new DomainError('ORDER_NOT_FOUND');
  const { order, seat } = locked;
  requireOrderAccess(input.actor, order);
  switch (order.status) {
    case 'CONFIRMED':
      throw new DomainError('ORDER_ALREADY_CONFIRMED');
    case 'EXPIRED':
      return { kind: 'expired' };
    case 'CANCELLED':
    case 'FAILED':
      throw new DomainError('SEAT_NOT_HELD', `This order was ${order.status.toLowerCase()}; the seat is no longer held. Reserve it again.`);
    case 'PENDING':
      break;
  }
  if (holdHasExpired(order.held_until, nowMs)) {
    await releaseHold(db, order, 'EXPIRED', now);
    return { kind: 'expired' };
  }
  if (!holdsSeat(order, seat)) throw new DomainError('SEAT_NOT_HELD');

  const { rows } = await db.query<{ is_flagged: boolean; phone: string; balance_cents: number; frozen_cents: number }>(
    // Locked here rather than first by the debit, so frozen_cents cannot change before the answer is computed.
    'SELECT is_flagged, phone, balance_cents, frozen_cents FROM users WHERE id = $1 FOR NO KEY UPDATE',
    [order.user_id],
  );
  const user = rows[0]!;
  if (user.is_flagged && !order.otp_verified_at) {
    const event = await db.query<{ name: string }>('SELECT name FROM events WHERE id = $1', [order.event_id]);
    await issueOtp(db, otpDeps(ctx), {
      userId: order.user_id,
      phone: user.phone,
      context: 'purchase',
      referenceId: order.id,
      purpose: smsSeatDeal('confirm your purchase of', { ...seat, event_name: event.rows[0]!.name }, order.amount_cents),
    });
    return { kind: 'otp_sent', phone: user.phone };
  }

  const spendableBefore = user.balance_cents - user.frozen_cents;
  const spendableCents = order.amount_cents > 0 ? (await debit(db, order, spendableBefore)) - user.frozen_cents : spendableBefore;
  // Order and seat in one statement, last: the seat change bumps the event's sequence (trigger), which
  // locks the event row until commit, and every purchase of the event queues on that lock.
  await db.query(
    `WITH confirmed AS (UPDATE orders SET status = 'CONFIRMED', confirmed_at = $3, updated_at = $3 WHERE id = $1)
     UPDATE seats SET status = 'SOLD', owner_user_id = $4, held_by = NULL, held_until = NULL WHERE id = $2`,
    [order.id, seat.id, now, order.user_id],
  );
  return { kind: 'paid', paid: { orderId: order.id, seatId: seat.id, chargedCents: order.amount_cents, spendableCents } };
}

function holdsSeat(order: LockedOrder, seat: LockedSeat): boolean {
  return seat.status === 'HELD' && seat.held_by === order.user_id;
}

/** Debits the order's price; returns the new balance. */
async function debit(db: Client, order: LockedOrder, spendableCents: number): Promise<number> {
  try {
    const { balanceCents } = await moveCredits(db, { userId: order.user_id, amountCents: -order.amount_cents, kind: 'PURCHASE', referenceType: 'order', referenceId: order.id });
    return balanceCents;
  } catch (err) {
    if (err instanceof DomainError && err.code === 'INSUFFICIENT_CREDITS') {
      const have = fromCents(spendableCents).toFixed(2);
      throw new DomainError(
        'INSUFFICIENT_CREDITS',
        `Not enough credits: this seat costs ${fromCents(order.amount_cents).toFixed(2)} and ${have} are spendable. Top up to continue.`,
      );
    }
    throw err;
  }
}

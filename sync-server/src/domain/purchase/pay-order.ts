import { fromCents } from '@ticketgate/protocol';
import type { AppContext } from '../../context.js';
import { withTransaction } from '../../db/pool.js';
import { DomainError } from '../errors.js';
import { orderOwnerFilter, requireOrderAccess } from '../../policy/access.js';
import type { Role } from '../auth/roles.js';
import { otpDeps } from '../otp/otp-deps.js';
import { deliverOtps, issueOtp } from '../otp/otp-service.js';
import { smsSeatDeal } from '../otp/sms-text.js';

export interface PaidOrder {
  orderId: string;
  seatId: string;
  chargedCents: number;
  /** Credits the user can still spend (balance minus frozen), after the debit. */
  spendableCents: number;
}

type PayOutcome =
  | 'PAID'
  | 'ORDER_NOT_FOUND'
  | 'NOT_THE_OWNER'
  | 'ORDER_ALREADY_CONFIRMED'
  | 'HOLD_EXPIRED'
  | 'ORDER_ENDED'
  | 'SEAT_NOT_HELD'
  | 'OTP_REQUIRED'
  | 'INSUFFICIENT_CREDITS';

interface PayRow {
  outcome: PayOutcome;
  order_status: string | null;
  seat_id: string | null;
  user_id: string | null;
  amount_cents: number | null;
  spendable_cents: number | null;
  phone: string | null;
  row_label: string | null;
  seat_number: number | null;
  event_name: string | null;
}

/**
 * Confirms a held seat: credits debited (ledger kind PURCHASE), seat SOLD to the
 * order's user, order CONFIRMED — one statement, so one round trip and one
 * transaction (the pay_order function of migration purchase_functions holds the rules). Two
 * outcomes commit work and still fail the request: a hold found expired is
 * released (HOLD_EXPIRED), and a flagged user's first attempt is sent an OTP
 * (OTP_REQUIRED).
 */
export async function payOrder(ctx: AppContext, input: { actor: { id: string; role: Role }; orderId: string }): Promise<PaidOrder> {
  const { rows } = await ctx.pool.query<PayRow>({
    name: 'pay_order',
    text: `SELECT outcome, order_status, seat_id, user_id, amount_cents, spendable_cents, phone, row_label, seat_number, event_name
             FROM pay_order($1, $2, $3)`,
    // The access rule (policy/access.ts) as the owner the order must have, checked on the locked order.
    values: [input.orderId, orderOwnerFilter(input.actor), new Date(ctx.now())],
  });
  const r = rows[0]!;
  switch (r.outcome) {
    case 'PAID':
      return { orderId: input.orderId, seatId: r.seat_id!, chargedCents: r.amount_cents!, spendableCents: r.spendable_cents! };
    case 'NOT_THE_OWNER':
      return requireOrderAccess(input.actor, { user_id: r.user_id! }) as never;
    case 'ORDER_ENDED':
      throw new DomainError(
        'SEAT_NOT_HELD',
        `This order was ${r.order_status!.toLowerCase()}; the seat is no longer held. Reserve it again.`,
      );
    case 'OTP_REQUIRED':
      return sendPurchaseOtp(ctx, input.orderId, r);
    case 'INSUFFICIENT_CREDITS':
      throw new DomainError(
        'INSUFFICIENT_CREDITS',
        `Not enough credits: this seat costs ${fromCents(r.amount_cents!).toFixed(2)} and ${fromCents(r.spendable_cents!).toFixed(2)} ` +
          'are spendable. Top up to continue.',
      );
    default:
      throw new DomainError(r.outcome);
  }
}

/** A flagged user's payment without a verified code: a code is sent (committed), and the request fails with OTP_REQUIRED. */
async function sendPurchaseOtp(ctx: AppContext, orderId: string, r: PayRow): Promise<never> {
  const phone = r.phone!;
  const issued = await withTransaction(ctx.pool, (db) =>
    issueOtp(db, otpDeps(ctx), {
      userId: r.user_id!,
      phone,
      context: 'purchase',
      referenceId: orderId,
      purpose: smsSeatDeal(
        'confirm your purchase of',
        { row_label: r.row_label!, seat_number: r.seat_number!, event_name: r.event_name! },
        r.amount_cents!,
      ),
    }),
  );
  await deliverOtps(ctx.pool, ctx.sms, [issued]);
  throw new DomainError(
    'OTP_REQUIRED',
    `OTP verification required before payment. A code was sent to the phone ending ${phone.slice(-4)}; ` +
      `submit it to /api/verify-otp with context "purchase" and this order id as reference_id, then pay again.`,
  );
}

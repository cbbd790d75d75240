import type { AppContext } from '../../context.js';
import { DomainError } from '../errors.js';
import type { TopUpIntent } from '../../providers/payments.js';

export const TOPUP_CURRENCY = 'sgd' as const;
export const TOPUP_MAX_CENTS = 10_000_00;

/**
 * Opens a card payment for credits: a PaymentIntent at the provider (user id in
 * its metadata), recorded as a PENDING top-up. Credits move only when the
 * signed webhook says the payment succeeded (applyPaymentEvent).
 */
export async function startTopUp(ctx: AppContext, input: { userId: string; amountCents: number }): Promise<TopUpIntent> {
  const user = await ctx.pool.query('SELECT 1 FROM users WHERE id = $1', [input.userId]);
  if (!user.rowCount) throw new DomainError('USER_NOT_FOUND');
  const intent = await ctx.payments.createTopUp({ userId: input.userId, amountCents: input.amountCents, currency: TOPUP_CURRENCY });
  // The webhook can outrun this insert; it records the top-up itself when it comes first.
  await ctx.pool.query(
    `INSERT INTO topups (payment_intent_id, user_id, amount_cents, currency, created_at)
     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (payment_intent_id) DO NOTHING`,
    [intent.paymentIntentId, input.userId, intent.amountCents, intent.currency, new Date(ctx.now())],
  );
  return intent;
}

import type { AppContext } from '../../context.js';
import { withTransaction } from '../../db/pool.js';
import type { PaymentEvent } from '../../providers/payments.js';
import { moveCredits } from './ledger.js';
import { TOPUP_CURRENCY } from './topup.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type EventOutcome = 'credited' | 'duplicate_event' | 'already_credited' | 'ignored';

/**
 * Applies one verified webhook event, exactly once. The event id goes into
 * stripe_events first: a replay, or a second copy delivered at the same moment
 * (which waits on the primary key until the first commits), finds it there and
 * changes nothing. A succeeded PaymentIntent then flips its top-up from PENDING
 * to SUCCEEDED and credits the ledger in the same transaction, so a different
 * event about the same intent cannot credit it twice either.
 */
export async function applyPaymentEvent(
  ctx: AppContext,
  event: PaymentEvent,
  log: (msg: string, detail?: object) => void = () => {},
): Promise<EventOutcome> {
  return withTransaction(ctx.pool, async (db) => {
    const now = new Date(ctx.now());
    const fresh = await db.query('INSERT INTO stripe_events (event_id, type, received_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [
      event.id,
      event.type,
      now,
    ]);
    if (!fresh.rowCount) return 'duplicate_event';
    const pi = event.paymentIntent;
    if (event.type !== 'payment_intent.succeeded' || !pi) return 'ignored';
    if (pi.currency !== TOPUP_CURRENCY || pi.amountCents <= 0) {
      log('payment ignored: not a credit top-up', { paymentIntent: pi.id, currency: pi.currency });
      return 'ignored';
    }
    if (pi.userId && UUID.test(pi.userId)) {
      const known = await db.query('SELECT 1 FROM users WHERE id = $1', [pi.userId]);
      if (known.rowCount) {
        await db.query(
          `INSERT INTO topups (payment_intent_id, user_id, amount_cents, currency, created_at)
           VALUES ($1, $2, $3, $4, $5) ON CONFLICT (payment_intent_id) DO NOTHING`,
          [pi.id, pi.userId, pi.amountCents, pi.currency, now],
        );
      }
    }
    const { rows } = await db.query<{ user_id: string; amount_cents: number; status: string }>(
      'SELECT user_id, amount_cents, status FROM topups WHERE payment_intent_id = $1 FOR UPDATE',
      [pi.id],
    );
    const topup = rows[0];
    if (!topup) {
      log('payment ignored: no top-up recorded and no known user in its metadata', { paymentIntent: pi.id });
      return 'ignored';
    }
    if (topup.status !== 'PENDING') return 'already_credited';
    if (topup.amount_cents !== pi.amountCents) {
      log('top-up amount differs from the amount collected; crediting what was collected', {
        paymentIntent: pi.id,
        requested: topup.amount_cents,
        collected: pi.amountCents,
      });
    }
    await db.query(`UPDATE topups SET status = 'SUCCEEDED', credited_at = $2, amount_cents = $3 WHERE payment_intent_id = $1`, [
      pi.id,
      now,
      pi.amountCents,
    ]);
    await moveCredits(db, {
      userId: topup.user_id,
      amountCents: pi.amountCents,
      kind: 'TOPUP',
      referenceType: 'stripe_payment_intent',
      referenceId: pi.id,
    });
    return 'credited';
  });
}

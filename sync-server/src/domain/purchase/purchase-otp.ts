import type { AppContext } from '../../context.js';
import { withTransaction } from '../../db/pool.js';
import { DomainError } from '../errors.js';
import { attemptsLeftSuffix } from '../otp/otp-deps.js';
import { checkOtp } from '../otp/otp-service.js';
import { lockOrderWithSeat } from './order-lock.js';
import { releaseHold } from './release-hold.js';

/**
 * The purchase flow's side of /api/verify-otp: a correct code marks the order
 * OTP-verified (the next /api/pay goes through); the third wrong code fails the
 * order and frees the seat, so the flow must start again from /api/reserve.
 * An expired code only fails the request: paying again sends a fresh one.
 */
export async function verifyPurchaseOtp(ctx: AppContext, input: { userId: string; referenceId: string; code: string }): Promise<void> {
  const { rows } = await ctx.pool.query<{ user_id: string }>('SELECT user_id FROM orders WHERE id = $1', [input.referenceId]);
  if (rows[0]?.user_id !== input.userId) throw new DomainError('ORDER_NOT_FOUND', 'No order of yours has this id.');

  const check = await checkOtp(ctx.pool, { pepper: ctx.config.OTP_PEPPER, now: () => ctx.now() }, { ...input, context: 'purchase' });
  const at = new Date(ctx.now());
  if (check.ok) {
    await ctx.pool.query(
      `UPDATE orders SET otp_verified_at = COALESCE(otp_verified_at, $2), updated_at = $2 WHERE id = $1 AND status = 'PENDING'`,
      [input.referenceId, at],
    );
    return;
  }
  switch (check.code) {
    case 'OTP_MAX_RETRIES':
      await withTransaction(ctx.pool, async (db) => {
        const locked = await lockOrderWithSeat(db, input.referenceId);
        if (locked) await releaseHold(db, locked.order, 'FAILED', at);
      });
      throw new DomainError('OTP_MAX_RETRIES', 'Too many wrong codes. The order was cancelled and the seat released; reserve again.');
    case 'OTP_EXPIRED':
      throw new DomainError('OTP_EXPIRED', 'The code has expired. Call /api/pay again to receive a new one.');
    default:
      throw new DomainError('OTP_INVALID', `The code is incorrect${attemptsLeftSuffix(check.attemptsLeft)}.`);
  }
}

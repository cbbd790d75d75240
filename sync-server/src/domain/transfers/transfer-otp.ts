import { smsSeatDeal } from '../otp/sms-text.js';
import type { AppContext } from '../../context.js';
import type { Queryable } from '../../db/pool.js';
import { withTransaction } from '../../db/pool.js';
import { DomainError } from '../errors.js';
import { attemptsLeftSuffix, otpDeps } from '../otp/otp-deps.js';
import { checkOtp, deliverOtps, issueOtp, type IssuedOtp } from '../otp/otp-service.js';
import { closePendingTransfers } from './close-transfer.js';
import { findTransfer, lockTransfer, requireStatus, type Party, type TransferRecord } from './transfer-record.js';

/**
 * Issues each party its own code, inside the transaction that creates the
 * transfer (no transfer, no SMS); the caller delivers them after the commit
 * with deliverTransferOtps.
 */
export async function issueTransferOtps(
  db: Queryable,
  ctx: AppContext,
  t: {
    id: string;
    sellerId: string;
    buyerId: string;
    seat: { row_label: string; seat_number: number; event_name: string };
    amountCents: number;
  },
): Promise<IssuedOtp[]> {
  const { rows } = await db.query<{ id: string; phone: string }>('SELECT id, phone FROM users WHERE id = ANY($1::uuid[])', [
    [t.sellerId, t.buyerId],
  ]);
  const phone = new Map(rows.map((r) => [r.id, r.phone]));
  const deps = otpDeps(ctx);
  const issued: IssuedOtp[] = [];
  for (const [userId, verb] of [
    [t.sellerId, 'sell'],
    [t.buyerId, 'buy'],
  ] as const) {
    issued.push(
      await issueOtp(db, deps, {
        userId,
        phone: phone.get(userId)!,
        context: 'transfer',
        referenceId: t.id,
        purpose: smsSeatDeal(verb, t.seat, t.amountCents),
      }),
    );
  }
  return issued;
}

/** Sends a new transfer's codes; if the provider fails, the transfer is cancelled (SMS_FAILED) so it does not block the seat. */
export async function deliverTransferOtps(ctx: AppContext, transferId: string, issued: readonly IssuedOtp[]): Promise<void> {
  await deliverOtps(ctx.pool, ctx.sms, issued, (db) =>
    closePendingTransfers(db, [transferId], { status: 'CANCELLED', reason: 'SMS_FAILED', at: new Date(ctx.now()) }),
  );
}

export function isExpired(t: Pick<TransferRecord, 'expires_at'>, nowMs: number): boolean {
  return t.expires_at.getTime() <= nowMs;
}

export const EXPIRED_MESSAGE = 'The transfer expired before both parties confirmed it and was cancelled.';

/**
 * Past its expiry a pending transfer is dead even if the sweeper has not run yet:
 * cancel it now (committed) and refuse the request.
 */
export async function refuseIfExpired(ctx: AppContext, t: TransferRecord): Promise<void> {
  if (!isExpired(t, ctx.now())) return;
  await closePendingTransfers(ctx.pool, [t.id], { status: 'CANCELLED', reason: 'EXPIRED', at: new Date(ctx.now()) });
  throw new DomainError('TRANSFER_INVALID_STATE', EXPIRED_MESSAGE);
}

const LABEL: Record<Party, string> = { seller: 'Seller', buyer: 'Buyer' };

/**
 * Checks one party's code for a pending transfer and records the outcome on the
 * transfer: a correct code marks that party verified; the third wrong code fails
 * the transfer; an expired code cancels it (the parties re-initiate rather than
 * keep the seat blocked). The failure is thrown only after that state change has committed.
 */
export async function verifyPartyOtp(ctx: AppContext, t: TransferRecord, party: Party, code: string): Promise<void> {
  const userId = party === 'seller' ? t.seller_id : t.buyer_id;
  const check = await checkOtp(ctx.pool, otpDeps(ctx), {
    userId,
    context: 'transfer',
    referenceId: t.id,
    code,
  });
  const at = new Date(ctx.now());
  if (check.ok) {
    const column = party === 'seller' ? 'seller_verified_at' : 'buyer_verified_at';
    await withTransaction(ctx.pool, async (db) => {
      const current = await lockTransfer(db, t.id);
      requireStatus(current, 'PENDING_OTP', 'verify a code for');
      await db.query(`UPDATE transfers SET ${column} = COALESCE(${column}, $2), updated_at = $2 WHERE id = $1`, [t.id, at]);
    });
    return;
  }
  // The transfer may have ended while the code was checked (reversal of the ticket, sweeper): that, not the code, is the answer.
  requireStatus(await findTransfer(ctx.pool, t.id), 'PENDING_OTP', 'verify a code for');
  switch (check.code) {
    case 'OTP_MAX_RETRIES':
      await closePendingTransfers(ctx.pool, [t.id], { status: 'FAILED', reason: 'OTP_MAX_RETRIES', at });
      throw new DomainError(
        'OTP_MAX_RETRIES',
        `${LABEL[party]} OTP failed too many times. The transfer was cancelled (FAILED); initiate it again.`,
      );
    case 'OTP_EXPIRED':
      await closePendingTransfers(ctx.pool, [t.id], { status: 'CANCELLED', reason: 'OTP_EXPIRED', at });
      throw new DomainError('OTP_EXPIRED', `${LABEL[party]} OTP has expired. The transfer was cancelled; initiate it again.`);
    default:
      if (await countConfirmFailure(ctx, t.id, at)) {
        throw new DomainError('OTP_MAX_RETRIES', 'Too many wrong codes for this transfer. It was cancelled (FAILED); initiate it again.');
      }
      throw new DomainError('OTP_INVALID', `${LABEL[party]} OTP is incorrect${attemptsLeftSuffix(check.attemptsLeft)}.`);
  }
}

/**
 * Counts a wrong code against the transfer, whichever party's code it was:
 * TRANSFER_MAX_CONFIRM_FAILURES of them fail the transfer (TOO_MANY_ATTEMPTS),
 * so a seat cannot be kept pending while its codes are guessed. True when this
 * failure ended the transfer.
 */
async function countConfirmFailure(ctx: AppContext, transferId: string, at: Date): Promise<boolean> {
  const { rows } = await ctx.pool.query<{ confirm_failures: number }>(
    `UPDATE transfers SET confirm_failures = confirm_failures + 1, updated_at = $2
      WHERE id = $1 AND status = 'PENDING_OTP' RETURNING confirm_failures`,
    [transferId, at],
  );
  const failures = rows[0]?.confirm_failures;
  if (failures === undefined || failures < ctx.config.TRANSFER_MAX_CONFIRM_FAILURES) return false;
  await closePendingTransfers(ctx.pool, [transferId], { status: 'FAILED', reason: 'TOO_MANY_ATTEMPTS', at });
  return true;
}

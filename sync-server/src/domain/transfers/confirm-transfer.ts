import type { AppContext } from '../../context.js';
import { withTransaction } from '../../db/pool.js';
import { DomainError } from '../errors.js';
import { moveCredits } from '../credits/ledger.js';
import { closePendingTransfers } from './close-transfer.js';
import { handOverSeat, isHeldBy, lockSeat } from './seat-ownership.js';
import { findTransfer, lockTransfer, lockUsers, requireParty, requireStatus, type Party, type TransferRecord } from './transfer-record.js';
import { EXPIRED_MESSAGE, isExpired, refuseIfExpired, verifyPartyOtp } from './transfer-otp.js';

export interface ConfirmTransferInput {
  transferId: string;
  sellerOtp?: string | undefined;
  buyerOtp?: string | undefined;
}

/**
 * Completes a pending transfer once both parties have proved themselves, by a
 * code given here or earlier through /api/verify-otp. The swap (buyer's credits
 * to the seller, ticket to the buyer, generation bump, ledger rows) is one
 * transaction that re-checks everything under locks, so a confirm sent twice
 * completes once and a buyer confirming two transfers at once cannot overspend.
 */
export async function confirmTransfer(ctx: AppContext, callerId: string, input: ConfirmTransferInput): Promise<TransferRecord> {
  const t = await findTransfer(ctx.pool, input.transferId);
  requireParty(t, callerId, 'confirm');
  requireStatus(t, 'PENDING_OTP', 'confirm');
  await refuseIfExpired(ctx, t);

  const needed: { party: Party; code: string | undefined }[] = [];
  if (!t.seller_verified_at) needed.push({ party: 'seller', code: input.sellerOtp });
  if (!t.buyer_verified_at) needed.push({ party: 'buyer', code: input.buyerOtp });
  const missing = needed.filter((n) => !n.code).map((n) => `${n.party}_otp`);
  if (missing.length > 0) {
    throw new DomainError('OTP_REQUIRED', `Missing ${missing.join(' and ')}: each party confirms with the code sent to them.`);
  }
  for (const n of needed) await verifyPartyOtp(ctx, t, n.party, n.code!);

  const outcome = await withTransaction(ctx.pool, async (db) => {
    const current = await lockTransfer(db, t.id);
    requireStatus(current, 'PENDING_OTP', 'confirm');
    if (!current.seller_verified_at || !current.buyer_verified_at) {
      throw new DomainError('TRANSFER_INVALID_STATE', 'Both parties must verify their code before the transfer completes.');
    }
    const now = new Date(ctx.now());
    if (isExpired(current, now.getTime())) {
      await closePendingTransfers(db, [current.id], { status: 'CANCELLED', reason: 'EXPIRED', at: now });
      return 'EXPIRED' as const;
    }
    const seat = await lockSeat(db, current.seat_id);
    if (!seat || !isHeldBy(seat, current.seller_id)) {
      await closePendingTransfers(db, [current.id], { status: 'CANCELLED', reason: 'SEAT_CHANGED', at: now });
      return 'SEAT_CHANGED' as const;
    }
    await lockUsers(db, [current.seller_id, current.buyer_id]);
    if (current.amount_cents > 0) {
      const ref = { referenceType: 'transfer', referenceId: current.id };
      await moveCredits(db, { userId: current.buyer_id, amountCents: -current.amount_cents, kind: 'TRANSFER_OUT', ...ref });
      await moveCredits(db, { userId: current.seller_id, amountCents: current.amount_cents, kind: 'TRANSFER_IN', ...ref });
    }
    await handOverSeat(db, seat.id, current.seller_id, current.buyer_id);
    await db.query(`UPDATE transfers SET status = 'COMPLETED', completed_at = $2, updated_at = $2 WHERE id = $1`, [current.id, now]);
    return 'COMPLETED' as const;
  });
  if (outcome === 'EXPIRED') throw new DomainError('TRANSFER_INVALID_STATE', EXPIRED_MESSAGE);
  if (outcome === 'SEAT_CHANGED') {
    throw new DomainError(
      'SEAT_UNAVAILABLE',
      'The seller no longer holds this ticket (used or changed hands); the transfer was cancelled.',
    );
  }
  return findTransfer(ctx.pool, t.id);
}

import { requireInitiatingParty } from '../../policy/access.js';
import type { AppContext } from '../../context.js';
import { withTransaction } from '../../db/pool.js';
import { DomainError } from '../errors.js';
import { closePendingTransfers } from './close-transfer.js';
import { isHeldBy, lockSeat } from './seat-ownership.js';
import { findTransfer, type TransferRecord } from './transfer-record.js';
import { deliverTransferOtps, isExpired, issueTransferOtps } from './transfer-otp.js';

export interface InitiateTransferInput {
  seatId: string;
  sellerId: string;
  buyerId: string;
  amountCents: number;
}

/**
 * Creates a PENDING_OTP transfer and sends both parties a code. The seat is
 * read FOR SHARE: it cannot be checked in or reversed meanwhile, yet two
 * initiations of one seat do not queue on it — the second one's insert meets
 * the unique index transfers_one_pending_per_seat, reported as TRANSFER_IN_PROGRESS.
 */
export async function initiateTransfer(ctx: AppContext, callerId: string, input: InitiateTransferInput): Promise<TransferRecord> {
  const { seatId, sellerId, buyerId, amountCents } = input;
  if (sellerId === buyerId) throw new DomainError('SELF_TRANSFER');
  requireInitiatingParty(callerId, { seller_id: sellerId, buyer_id: buyerId });
  const now = new Date(ctx.now());
  try {
    const { id, codes } = await withTransaction(ctx.pool, async (db) => {
      const seat = await lockSeat(db, seatId, 'SHARE');
      if (!seat) throw new DomainError('SEAT_NOT_FOUND');

      const { rows: users } = await db.query<{ id: string; spendable_cents: number }>(
        'SELECT id, balance_cents - frozen_cents AS spendable_cents FROM users WHERE id = ANY($1::uuid[])',
        [[sellerId, buyerId]],
      );
      const buyer = users.find((u) => u.id === buyerId);
      if (!users.some((u) => u.id === sellerId)) throw new DomainError('USER_NOT_FOUND', 'Seller does not exist.');
      if (!buyer) throw new DomainError('USER_NOT_FOUND', 'Buyer does not exist.');

      if (seat.status !== 'SOLD')
        throw new DomainError('SEAT_UNAVAILABLE', `Only sold, unused tickets can be transferred (seat is ${seat.status}).`);
      if (!isHeldBy(seat, sellerId)) throw new DomainError('NOT_SEAT_OWNER', 'The seller does not own this seat.');
      if (seat.event_date.getTime() <= now.getTime()) throw new DomainError('EVENT_ENDED', 'The event has already taken place.');

      const { rows: pending } = await db.query<{ id: string; expires_at: Date }>(
        `SELECT id, expires_at FROM transfers WHERE seat_id = $1 AND status = 'PENDING_OTP'`,
        [seatId],
      );
      const stale = pending.filter((p) => isExpired(p, now.getTime())).map((p) => p.id);
      if (pending.length > stale.length) throw new DomainError('TRANSFER_IN_PROGRESS');
      // An expired transfer the sweeper has not reached yet must not block the seat.
      await closePendingTransfers(db, stale, { status: 'CANCELLED', reason: 'EXPIRED', at: now });

      if (buyer.spendable_cents < amountCents) {
        throw new DomainError('INSUFFICIENT_CREDITS', 'The buyer does not have enough credits for this transfer.');
      }

      const { rows } = await db.query<{ id: string }>(
        `INSERT INTO transfers (seat_id, seller_id, buyer_id, initiated_by, amount_cents, expires_at, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id`,
        [seatId, sellerId, buyerId, callerId, amountCents, new Date(now.getTime() + ctx.config.TRANSFER_TTL_SECONDS * 1000), now],
      );
      const transferId = rows[0]!.id;
      const issued = await issueTransferOtps(db, ctx, { id: transferId, sellerId, buyerId, seat, amountCents });
      return { id: transferId, codes: issued };
    });
    await deliverTransferOtps(ctx, id, codes);
    return await findTransfer(ctx.pool, id);
  } catch (err) {
    if ((err as { code?: string; constraint?: string }).constraint === 'transfers_one_pending_per_seat') {
      throw new DomainError('TRANSFER_IN_PROGRESS');
    }
    throw err;
  }
}

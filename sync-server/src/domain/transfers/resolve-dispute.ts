import type { AppContext } from '../../context.js';
import type { Queryable } from '../../db/pool.js';
import type { Actor } from '../../policy/access.js';
import { recordAudit } from '../audit/audit-log.js';
import { withTransaction } from '../../db/pool.js';
import { DomainError } from '../errors.js';
import { moveCredits } from '../credits/ledger.js';
import { closePendingTransfers } from './close-transfer.js';
import { handOverSeat, isHeldBy, lockSeat } from './seat-ownership.js';
import { findTransfer, lockTransfer, lockUsers, requireStatus, type TransferRecord } from './transfer-record.js';

async function releaseFrozen(db: Queryable, t: TransferRecord): Promise<void> {
  if (t.frozen_cents > 0) {
    await db.query('UPDATE users SET frozen_cents = frozen_cents - $2 WHERE id = $1', [t.seller_id, t.frozen_cents]);
  }
}

/**
 * DISPUTED → REVERSED (admin): the ticket goes back to the seller with a new
 * generation (the buyer's codes stop verifying), the frozen credits are released
 * and the price goes back to the buyer. If the seller spent part of it before
 * the dispute froze anything, the buyer gets back what the seller can pay now
 * (at least the frozen amount); `returned_cents` records it. Refused with
 * SEAT_UNAVAILABLE when the buyer no longer holds the ticket (used or passed on).
 */
export async function reverseTransfer(ctx: AppContext, admin: Actor, transferId: string, note?: string): Promise<TransferRecord> {
  await withTransaction(ctx.pool, async (db) => {
    const t = await lockTransfer(db, transferId);
    requireStatus(t, 'DISPUTED', 'reverse');
    // The buyer may have put the ticket up for transfer again; that transfer
    // dies with the reversal. Its row is locked now, before the seat, to keep the lock order.
    await db.query(`SELECT id FROM transfers WHERE seat_id = $1 AND status = 'PENDING_OTP' FOR UPDATE`, [t.seat_id]);
    const seat = await lockSeat(db, t.seat_id);
    if (!seat || !isHeldBy(seat, t.buyer_id)) {
      throw new DomainError('SEAT_UNAVAILABLE', 'The buyer no longer holds this ticket (it was used or changed hands since the dispute).');
    }
    const seller = (await lockUsers(db, [t.seller_id, t.buyer_id])).get(t.seller_id)!;
    await releaseFrozen(db, t);
    const spendableAfterRelease = seller.balance_cents - (seller.frozen_cents - t.frozen_cents);
    const returned = Math.max(0, Math.min(t.amount_cents, spendableAfterRelease));
    if (returned > 0) {
      const ref = { referenceType: 'transfer', referenceId: t.id };
      await moveCredits(db, { userId: t.seller_id, amountCents: -returned, kind: 'REVERSAL_OUT', ...ref });
      await moveCredits(db, { userId: t.buyer_id, amountCents: returned, kind: 'REVERSAL_IN', ...ref });
    }
    const now = new Date(ctx.now());
    const { rows: onward } = await db.query<{ id: string }>(`SELECT id FROM transfers WHERE seat_id = $1 AND status = 'PENDING_OTP'`, [
      t.seat_id,
    ]);
    await closePendingTransfers(
      db,
      onward.map((r) => r.id),
      { status: 'CANCELLED', reason: 'SEAT_CHANGED', at: now },
    );
    await handOverSeat(db, seat.id, t.buyer_id, t.seller_id);
    await db.query(
      `UPDATE transfers SET status = 'REVERSED', resolution = 'REVERSED', resolved_by = $2, resolved_at = $3, returned_cents = $4, updated_at = $3
        WHERE id = $1`,
      [t.id, admin.id, now, returned],
    );
    await recordAudit(db, {
      actor: admin,
      action: 'transfer.reverse',
      targetType: 'transfer',
      targetId: t.id,
      details: { seat_id: t.seat_id, seller_id: t.seller_id, buyer_id: t.buyer_id, returned_cents: returned, ...(note ? { note } : {}) },
    });
  });
  return findTransfer(ctx.pool, transferId);
}

/** DISPUTED → COMPLETED with resolution UPHELD (admin): the transfer stands and the frozen credits are released. */
export async function upholdTransfer(ctx: AppContext, admin: Actor, transferId: string, note?: string): Promise<TransferRecord> {
  await withTransaction(ctx.pool, async (db) => {
    const t = await lockTransfer(db, transferId);
    requireStatus(t, 'DISPUTED', 'resolve');
    await lockUsers(db, [t.seller_id]);
    await releaseFrozen(db, t);
    const now = new Date(ctx.now());
    await db.query(
      `UPDATE transfers SET status = 'COMPLETED', resolution = 'UPHELD', resolved_by = $2, resolved_at = $3, updated_at = $3 WHERE id = $1`,
      [t.id, admin.id, now],
    );
    await recordAudit(db, {
      actor: admin,
      action: 'transfer.uphold',
      targetType: 'transfer',
      targetId: t.id,
      details: { seat_id: t.seat_id, seller_id: t.seller_id, buyer_id: t.buyer_id, ...(note ? { note } : {}) },
    });
  });
  return findTransfer(ctx.pool, transferId);
}

import type { AppContext } from '../../context.js';
import { withTransaction } from '../../db/pool.js';
import { DomainError } from '../errors.js';
import { findTransfer, lockTransfer, lockUsers, requireParty, requireStatus, type TransferRecord } from './transfer-record.js';

/**
 * COMPLETED → DISPUTED. The credits the seller received are frozen in the
 * seller's balance until an admin resolves the dispute. Credits already spent
 * cannot be frozen: we freeze min(price, seller's spendable balance) and record
 * that amount on the transfer, so the resolution releases exactly what was frozen.
 * A dispute that was already resolved (UPHELD) cannot be reopened.
 */
export async function disputeTransfer(
  ctx: AppContext,
  callerId: string,
  input: { transferId: string; reason: string },
): Promise<TransferRecord> {
  await withTransaction(ctx.pool, async (db) => {
    const t = await lockTransfer(db, input.transferId);
    requireParty(t, callerId, 'dispute');
    requireStatus(t, 'COMPLETED', 'dispute');
    if (t.resolution) throw new DomainError('TRANSFER_INVALID_STATE', `This transfer's dispute was already resolved (${t.resolution}).`);

    const seller = (await lockUsers(db, [t.seller_id])).get(t.seller_id)!;
    const frozen = Math.max(0, Math.min(t.amount_cents, seller.balance_cents - seller.frozen_cents));
    if (frozen > 0) await db.query('UPDATE users SET frozen_cents = frozen_cents + $2 WHERE id = $1', [t.seller_id, frozen]);
    const now = new Date(ctx.now());
    await db.query(
      `UPDATE transfers SET status = 'DISPUTED', dispute_reason = $2, disputed_by = $3, disputed_at = $4, frozen_cents = $5, updated_at = $4
        WHERE id = $1`,
      [t.id, input.reason, callerId, now, frozen],
    );
  });
  return findTransfer(ctx.pool, input.transferId);
}

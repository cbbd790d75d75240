import type { AppContext } from '../../context.js';
import { withTransaction } from '../../db/pool.js';
import { requireSeller } from '../../policy/access.js';
import { closePendingTransfers } from './close-transfer.js';
import { findTransfer, lockTransfer, requireStatus, type TransferRecord } from './transfer-record.js';

/**
 * The seller withdraws a pending transfer (CANCELLED, SELLER_CANCELLED): the
 * seat is free to be transferred again at once and the outstanding codes stop
 * working. Nobody else may: a buyer who started it cannot keep the seller's
 * seat blocked, and cannot end the seller's own transfers to others either.
 */
export async function cancelTransfer(ctx: AppContext, callerId: string, transferId: string): Promise<TransferRecord> {
  await withTransaction(ctx.pool, async (db) => {
    const t = await lockTransfer(db, transferId);
    requireSeller(callerId, t);
    requireStatus(t, 'PENDING_OTP', 'cancel');
    await closePendingTransfers(db, [t.id], { status: 'CANCELLED', reason: 'SELLER_CANCELLED', at: new Date(ctx.now()) });
  });
  return findTransfer(ctx.pool, transferId);
}

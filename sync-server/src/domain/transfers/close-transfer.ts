import type { Queryable } from '../../db/pool.js';

export type CloseReason =
  'OTP_MAX_RETRIES' | 'OTP_EXPIRED' | 'EXPIRED' | 'SEAT_CHANGED' | 'SELLER_CANCELLED' | 'TOO_MANY_ATTEMPTS' | 'SMS_FAILED';

/**
 * Ends pending transfers without completing them (FAILED after too many wrong
 * codes, CANCELLED otherwise). Their outstanding codes are superseded so
 * /api/verify-otp cannot revive them. Only rows still PENDING_OTP change, so a
 * caller racing a confirm never overwrites a COMPLETED transfer.
 */
export async function closePendingTransfers(
  db: Queryable,
  ids: string[],
  outcome: { status: 'FAILED' | 'CANCELLED'; reason: CloseReason; at: Date },
): Promise<string[]> {
  if (ids.length === 0) return [];
  const { rows } = await db.query<{ id: string }>(
    `UPDATE transfers SET status = $2, closed_reason = $3, updated_at = $4
      WHERE id = ANY($1::uuid[]) AND status = 'PENDING_OTP' RETURNING id`,
    [ids, outcome.status, outcome.reason, outcome.at],
  );
  const closed = rows.map((r) => r.id);
  if (closed.length > 0) {
    await db.query(
      `UPDATE otp_challenges SET status = 'SUPERSEDED'
        WHERE context = 'transfer' AND reference_id = ANY($1::uuid[]) AND status = 'PENDING'`,
      [closed],
    );
  }
  return closed;
}

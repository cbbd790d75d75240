import type { Queryable } from '../../db/pool.js';
import { DomainError } from '../errors.js';

export const TRANSFER_STATUSES = ['PENDING_OTP', 'COMPLETED', 'FAILED', 'CANCELLED', 'DISPUTED', 'REVERSED'] as const;
export type TransferStatus = (typeof TRANSFER_STATUSES)[number];
export type { Party } from '../../policy/access.js';
export { partyOf, requireParty } from '../../policy/access.js';

/** One row of `transfers` as the domain sees it. */
export interface TransferRecord {
  id: string;
  seat_id: string;
  seller_id: string;
  buyer_id: string;
  initiated_by: string;
  amount_cents: number;
  status: TransferStatus;
  seller_verified_at: Date | null;
  buyer_verified_at: Date | null;
  expires_at: Date;
  completed_at: Date | null;
  dispute_reason: string | null;
  disputed_by: string | null;
  disputed_at: Date | null;
  resolved_by: string | null;
  resolved_at: Date | null;
  resolution: 'REVERSED' | 'UPHELD' | null;
  frozen_cents: number;
  returned_cents: number | null;
  closed_reason: string | null;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = `id, seat_id, seller_id, buyer_id, initiated_by, amount_cents, status, seller_verified_at, buyer_verified_at,
  expires_at, completed_at, dispute_reason, disputed_by, disputed_at, resolved_by, resolved_at, resolution,
  frozen_cents, returned_cents, closed_reason, created_at, updated_at`;

/** Reads a transfer (no lock); TRANSFER_NOT_FOUND if it does not exist. */
export async function findTransfer(db: Queryable, id: string): Promise<TransferRecord> {
  const { rows } = await db.query<TransferRecord>(`SELECT ${COLUMNS} FROM transfers WHERE id = $1`, [id]);
  if (!rows[0]) throw new DomainError('TRANSFER_NOT_FOUND');
  return rows[0];
}

/**
 * Locks a transfer row for the rest of the transaction. Every state change takes
 * this lock first (then the seat, then the users by id), so concurrent requests
 * on one transfer serialise here and never deadlock further down.
 */
export async function lockTransfer(db: Queryable, id: string): Promise<TransferRecord> {
  const { rows } = await db.query<TransferRecord>(`SELECT ${COLUMNS} FROM transfers WHERE id = $1 FOR UPDATE`, [id]);
  if (!rows[0]) throw new DomainError('TRANSFER_NOT_FOUND');
  return rows[0];
}

export function requireStatus(t: TransferRecord, expected: TransferStatus, action: string): void {
  if (t.status !== expected) {
    throw new DomainError('TRANSFER_INVALID_STATE', `Cannot ${action} a transfer in state ${t.status} (expected ${expected}).`);
  }
}

/** Serialises the lock order's last step: both parties' user rows, by id. */
export async function lockUsers(db: Queryable, ids: string[]): Promise<Map<string, { balance_cents: number; frozen_cents: number }>> {
  const { rows } = await db.query<{ id: string; balance_cents: number; frozen_cents: number }>(
    'SELECT id, balance_cents, frozen_cents FROM users WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE',
    [ids],
  );
  return new Map(rows.map((r) => [r.id, r]));
}

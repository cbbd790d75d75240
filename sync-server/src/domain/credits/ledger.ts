import type { Queryable } from '../../db/pool.js';
import { DomainError } from '../errors.js';

export type LedgerKind = 'OPENING' | 'TOPUP' | 'PURCHASE' | 'TRANSFER_IN' | 'TRANSFER_OUT' | 'REVERSAL_IN' | 'REVERSAL_OUT' | 'ADJUSTMENT';

export interface CreditMovement {
  userId: string;
  /** Signed cents: positive credits the user, negative debits. */
  amountCents: number;
  kind: LedgerKind;
  referenceType?: string;
  referenceId?: string;
}

/**
 * The only way balances change: one UPDATE guarded so a debit never takes the
 * spendable balance (balance minus frozen) below zero, plus its ledger row — in
 * the caller's transaction. Concurrent debits serialise on the user row; the
 * loser sees the updated balance and fails cleanly with INSUFFICIENT_CREDITS.
 */
export async function moveCredits(db: Queryable, m: CreditMovement): Promise<{ balanceCents: number }> {
  if (!Number.isInteger(m.amountCents) || m.amountCents === 0) throw new Error(`invalid credit movement ${m.amountCents}`);
  // Balance and ledger row in one statement (the move_credits function, which /api/pay's pay_order uses too).
  const { rows } = await db.query<{ balance_after: number | null }>({
    name: 'move_credits',
    text: 'SELECT move_credits($1, $2, $3, $4, $5) AS balance_after',
    values: [m.userId, m.amountCents, m.kind, m.referenceType ?? null, m.referenceId ?? null],
  });
  const row = rows[0];
  if (row?.balance_after == null) {
    const exists = await db.query('SELECT 1 FROM users WHERE id = $1', [m.userId]);
    throw new DomainError(exists.rowCount ? 'INSUFFICIENT_CREDITS' : 'USER_NOT_FOUND');
  }
  return { balanceCents: row.balance_after };
}

/** Spendable balance = balance - frozen (dispute holds). */
export async function balanceOf(db: Queryable, userId: string): Promise<{ balanceCents: number; frozenCents: number } | null> {
  const { rows } = await db.query<{ balance_cents: number; frozen_cents: number }>(
    'SELECT balance_cents, frozen_cents FROM users WHERE id = $1',
    [userId],
  );
  const r = rows[0];
  return r ? { balanceCents: r.balance_cents, frozenCents: r.frozen_cents } : null;
}

import type { Queryable } from '../../db/pool.js';
import type { LedgerKind } from './ledger.js';

export interface LedgerEntry {
  id: number;
  amountCents: number;
  balanceAfterCents: number;
  kind: LedgerKind;
  referenceType: string | null;
  referenceId: string | null;
  createdAt: Date;
}

/** One page of a user's credit ledger, newest first. */
export async function creditHistory(
  db: Queryable,
  userId: string,
  page: { page: number; perPage: number },
): Promise<{ items: LedgerEntry[]; total: number }> {
  const [items, count] = await Promise.all([
    db.query<{
      id: string;
      amount_cents: string;
      balance_after: string;
      kind: LedgerKind;
      reference_type: string | null;
      reference_id: string | null;
      created_at: Date;
    }>(
      `SELECT id, amount_cents, balance_after, kind, reference_type, reference_id, created_at
         FROM credit_ledger WHERE user_id = $1 ORDER BY id DESC LIMIT $2 OFFSET $3`,
      [userId, page.perPage, (page.page - 1) * page.perPage],
    ),
    db.query<{ n: number }>('SELECT count(*)::int AS n FROM credit_ledger WHERE user_id = $1', [userId]),
  ]);
  return {
    items: items.rows.map((r) => ({
      id: Number(r.id),
      amountCents: Number(r.amount_cents),
      balanceAfterCents: Number(r.balance_after),
      kind: r.kind,
      referenceType: r.reference_type,
      referenceId: r.reference_id,
      createdAt: r.created_at,
    })),
    total: count.rows[0]!.n,
  };
}

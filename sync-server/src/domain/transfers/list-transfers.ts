import type { Queryable } from '../../db/pool.js';
import { DomainError } from '../errors.js';
import type { TransferRecord, TransferStatus } from './transfer-record.js';

/** A transfer with the ticket it concerns, as the listings show it. */
export interface TransferDetails extends TransferRecord {
  event_id: string;
  event_name: string;
  row_label: string;
  seat_number: number;
}

const SELECT = `SELECT t.*, s.event_id, e.name AS event_name, s.row_label, s.seat_number
  FROM transfers t JOIN seats s ON s.id = t.seat_id JOIN events e ON e.id = s.event_id`;

export async function transferDetails(db: Queryable, id: string): Promise<TransferDetails> {
  const { rows } = await db.query<TransferDetails>(`${SELECT} WHERE t.id = $1`, [id]);
  if (!rows[0]) throw new DomainError('TRANSFER_NOT_FOUND');
  return rows[0];
}

export interface TransferFilter {
  /** Transfers where this user is the seller or the buyer; every transfer when omitted (admins). */
  partyId?: string | undefined;
  role?: 'seller' | 'buyer' | undefined;
  status?: TransferStatus | undefined;
  seatId?: string | undefined;
  /** Only transfers of tickets for events at these venues; null or omitted: every venue. */
  venueIds?: string[] | null | undefined;
}

/** Newest first, one page, with the total for pagination. */
export async function listTransfers(
  db: Queryable,
  filter: TransferFilter,
  page: { page: number; perPage: number },
): Promise<{ items: TransferDetails[]; total: number }> {
  const where: string[] = [];
  const args: unknown[] = [];
  const arg = (v: unknown) => `$${args.push(v)}`;
  if (filter.partyId !== undefined) {
    const p = arg(filter.partyId);
    if (filter.role === 'seller') where.push(`t.seller_id = ${p}`);
    else if (filter.role === 'buyer') where.push(`t.buyer_id = ${p}`);
    else where.push(`(t.seller_id = ${p} OR t.buyer_id = ${p})`);
  }
  if (filter.status !== undefined) where.push(`t.status = ${arg(filter.status)}`);
  if (filter.seatId !== undefined) where.push(`t.seat_id = ${arg(filter.seatId)}`);
  // A subquery rather than the listing's join, so the count query (transfers only) filters the same way.
  if (filter.venueIds)
    where.push(
      `t.seat_id IN (SELECT vs.id FROM seats vs JOIN events ve ON ve.id = vs.event_id WHERE ve.venue_id = ANY (${arg(filter.venueIds)}::uuid[]))`,
    );
  const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const filterArgs = [...args];
  const pageSql = `LIMIT ${arg(page.perPage)} OFFSET ${arg((page.page - 1) * page.perPage)}`;
  const [{ rows }, count] = await Promise.all([
    db.query<TransferDetails>(`${SELECT} ${clause} ORDER BY t.created_at DESC, t.id ${pageSql}`, args),
    db.query<{ n: number }>(`SELECT count(*)::int AS n FROM transfers t ${clause}`, filterArgs),
  ]);
  return { items: rows, total: count.rows[0]?.n ?? 0 };
}

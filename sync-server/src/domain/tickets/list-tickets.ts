import type { Queryable } from '../../db/pool.js';

export interface Ticket {
  seatId: string;
  event: { id: string; name: string; date: Date; hallId: string };
  rowLabel: string;
  seatNumber: number;
  category: string;
  status: 'SOLD' | 'CHECKED_IN';
  pricePaidCents: number | null;
  purchasedAt: Date | null;
}

/**
 * The seats a user owns (SOLD or CHECKED_IN). What they paid and when is their
 * latest acquisition of that seat: the confirmed order, or a completed transfer
 * to them (a ticket bought from another fan was paid for through the transfer).
 */
export async function listTickets(db: Queryable, userId: string): Promise<Ticket[]> {
  const { rows } = await db.query<{
    seat_id: string;
    event_id: string;
    event_name: string;
    event_date: Date;
    hall_id: string;
    row_label: string;
    seat_number: number;
    category: string;
    status: 'SOLD' | 'CHECKED_IN';
    paid_cents: number | null;
    acquired_at: Date | null;
  }>(
    `SELECT s.id AS seat_id, e.id AS event_id, e.name AS event_name, e.event_date, e.hall_id,
            s.row_label, s.seat_number, s.category, s.status, acq.paid_cents, acq.acquired_at
       FROM seats s
       JOIN events e ON e.id = s.event_id
       LEFT JOIN LATERAL (
         SELECT paid_cents, acquired_at FROM (
           SELECT o.amount_cents AS paid_cents, o.confirmed_at AS acquired_at
             FROM orders o WHERE o.seat_id = s.id AND o.user_id = s.owner_user_id AND o.status = 'CONFIRMED'
           UNION ALL
           SELECT t.amount_cents, t.completed_at
             FROM transfers t
            WHERE t.seat_id = s.id AND t.buyer_id = s.owner_user_id AND t.status IN ('COMPLETED', 'DISPUTED')
              AND t.completed_at IS NOT NULL
         ) a ORDER BY acquired_at DESC LIMIT 1
       ) acq ON true
      WHERE s.owner_user_id = $1 AND s.status IN ('SOLD', 'CHECKED_IN')
      ORDER BY e.event_date, e.id, s.row_label, s.seat_number`,
    [userId],
  );
  return rows.map((r) => ({
    seatId: r.seat_id,
    event: { id: r.event_id, name: r.event_name, date: r.event_date, hallId: r.hall_id },
    rowLabel: r.row_label,
    seatNumber: r.seat_number,
    category: r.category,
    status: r.status,
    pricePaidCents: r.paid_cents,
    purchasedAt: r.acquired_at,
  }));
}

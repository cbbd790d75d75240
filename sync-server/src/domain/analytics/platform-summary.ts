import type { Queryable } from '../../db/pool.js';
import { SOLD_SEAT_STATUSES } from './counted-states.js';

export interface PlatformSummary {
  totalEvents: number;
  totalTicketsSold: number;
  /** Sum of confirmed orders. */
  totalRevenueCents: number;
}

/** Platform-wide totals straight from the tables (there is no ETL copy to lag behind). */
export async function platformSummary(db: Queryable): Promise<PlatformSummary> {
  const { rows } = await db.query<{ events: number; sold: number; revenue: number }>(
    `SELECT (SELECT count(*) FROM events)::int AS events,
            (SELECT count(*) FROM seats WHERE status = ANY($1::text[]))::int AS sold,
            (SELECT COALESCE(sum(amount_cents), 0) FROM orders WHERE status = 'CONFIRMED')::bigint AS revenue`,
    [SOLD_SEAT_STATUSES],
  );
  const r = rows[0]!;
  return { totalEvents: r.events, totalTicketsSold: r.sold, totalRevenueCents: r.revenue };
}

import type { Queryable } from '../../db/pool.js';
import { SOLD_SEAT_STATUSES } from './counted-states.js';

export interface PlatformSummary {
  totalEvents: number;
  totalTicketsSold: number;
  /** Sum of confirmed orders. */
  totalRevenueCents: number;
}

/**
 * Totals straight from the tables (there is no ETL copy to lag behind): of the
 * whole platform, or of the events of some venues (`venueIds`; null for all).
 */
export async function platformSummary(db: Queryable, venueIds: string[] | null): Promise<PlatformSummary> {
  const inScope = `($2::uuid[] IS NULL OR event_id IN (SELECT id FROM events WHERE venue_id = ANY ($2::uuid[])))`;
  const { rows } = await db.query<{ events: number; sold: number; revenue: number }>(
    `SELECT (SELECT count(*) FROM events WHERE $2::uuid[] IS NULL OR venue_id = ANY ($2::uuid[]))::int AS events,
            (SELECT count(*) FROM seats WHERE status = ANY($1::text[]) AND ${inScope})::int AS sold,
            (SELECT COALESCE(sum(amount_cents), 0) FROM orders WHERE status = 'CONFIRMED' AND ${inScope})::bigint AS revenue`,
    [SOLD_SEAT_STATUSES, venueIds],
  );
  const r = rows[0]!;
  return { totalEvents: r.events, totalTicketsSold: r.sold, totalRevenueCents: r.revenue };
}

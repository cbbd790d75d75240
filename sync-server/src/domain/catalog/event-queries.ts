import type { sync } from '@ticketgate/protocol';
import type { Queryable } from '../../db/pool.js';
import type { EventType } from './event-types.js';

export type SeatStatus = sync.SeatStatus;

export interface EventInfo {
  id: string;
  name: string;
  description: string;
  eventType: EventType;
  city: string;
  hallId: string;
  eventDate: Date;
  venue: { id: string; name: string; address: string };
  /** Category → price in cents. */
  tiersCents: Record<string, number>;
  totalSeats: number;
  availableSeats: number;
}

export interface SeatMapEntry {
  id: string;
  row: string;
  number: number;
  status: SeatStatus;
  category: string;
  priceCents: number;
}

// A hold past its expiry is as good as released, whether or not the sweeper has
// run yet: listings count it, and the seat map shows it, as AVAILABLE.
export const effectiveStatus = (nowParam: string) =>
  `CASE WHEN s.status = 'HELD' AND s.held_until <= ${nowParam} THEN 'AVAILABLE' ELSE s.status END`;
const seatCounts = (nowParam: string) =>
  `count(*)::int AS total_seats, count(*) FILTER (WHERE ${effectiveStatus(nowParam)} = 'AVAILABLE')::int AS available_seats`;

interface EventRow {
  id: string;
  name: string;
  description: string;
  event_type: EventType;
  city: string;
  hall_id: string;
  event_date: Date;
  venue_id: string;
  venue_name: string;
  venue_address: string;
  tiers: Record<string, number> | null;
  total_seats: number;
  available_seats: number;
}

const toEventInfo = (r: EventRow): EventInfo => ({
  id: r.id,
  name: r.name,
  description: r.description,
  eventType: r.event_type,
  city: r.city,
  hallId: r.hall_id,
  eventDate: r.event_date,
  venue: { id: r.venue_id, name: r.venue_name, address: r.venue_address },
  tiersCents: r.tiers ?? {},
  totalSeats: r.total_seats,
  availableSeats: r.available_seats,
});

const EVENT_COLUMNS = `e.id, e.name, e.description, e.event_type, e.city, e.hall_id, e.event_date, v.id AS venue_id, v.name AS venue_name, v.address AS venue_address,
  (SELECT json_object_agg(c.category, c.price_cents ORDER BY c.category) FROM event_categories c WHERE c.event_id = e.id) AS tiers`;

/**
 * Upcoming events (event_date after `now`), soonest first, one page of them,
 * with live seat counts. The page is cut before seats are counted, so the cost
 * follows the page size, not the number of events.
 */
export async function listUpcomingEvents(
  db: Queryable,
  q: { now: number; limit: number; offset: number },
): Promise<{ events: EventInfo[]; total: number }> {
  const now = new Date(q.now);
  const [page, count] = await Promise.all([
    db.query<EventRow>(
      `WITH page AS (
         SELECT * FROM events WHERE event_date > $1 ORDER BY event_date, id LIMIT $2 OFFSET $3
       )
       SELECT ${EVENT_COLUMNS}, st.total_seats, st.available_seats
         FROM page e
         JOIN venues v ON v.id = e.venue_id
         CROSS JOIN LATERAL (SELECT ${seatCounts('$1')} FROM seats s WHERE s.event_id = e.id) st
        ORDER BY e.event_date, e.id`,
      [now, q.limit, q.offset],
    ),
    db.query<{ n: number }>('SELECT count(*)::int AS n FROM events WHERE event_date > $1', [now]),
  ]);
  return { events: page.rows.map(toEventInfo), total: count.rows[0]!.n };
}

/** One event with its venue and pricing tiers, seat counts left at 0 (see eventWithSeats). */
async function eventHeader(db: Queryable, eventId: string): Promise<EventInfo | null> {
  const { rows } = await db.query<EventRow>(
    `SELECT ${EVENT_COLUMNS}, 0 AS total_seats, 0 AS available_seats
       FROM events e JOIN venues v ON v.id = e.venue_id WHERE e.id = $1`,
    [eventId],
  );
  return rows[0] ? toEventInfo(rows[0]) : null;
}

/**
 * An event and its whole seat map: two queries whatever the size (the seat
 * counts come from the map itself), seats ordered as a venue prints them
 * (row A..Z before AA, then seat number).
 */
export async function eventWithSeats(
  db: Queryable,
  eventId: string,
  now: number,
): Promise<{ event: EventInfo; seats: SeatMapEntry[] } | null> {
  const [event, seatRows] = await Promise.all([
    eventHeader(db, eventId),
    db.query<{ id: string; row_label: string; seat_number: number; status: SeatStatus; category: string }>(
      `SELECT s.id, s.row_label, s.seat_number, ${effectiveStatus('$2')} AS status, s.category
         FROM seats s WHERE s.event_id = $1
        ORDER BY length(s.row_label), s.row_label, s.seat_number`,
      [eventId, new Date(now)],
    ),
  ]);
  if (!event) return null;
  let available = 0;
  const seats = seatRows.rows.map((r): SeatMapEntry => {
    if (r.status === 'AVAILABLE') available++;
    return {
      id: r.id,
      row: r.row_label,
      number: r.seat_number,
      status: r.status,
      category: r.category,
      priceCents: event.tiersCents[r.category] ?? 0,
    };
  });
  return { event: { ...event, totalSeats: seats.length, availableSeats: available }, seats };
}

/** An event with its seat counts but without the map (what operators get back after a change). */
export async function eventInfo(db: Queryable, eventId: string, now: number): Promise<EventInfo | null> {
  const event = await eventHeader(db, eventId);
  if (!event) return null;
  const { rows } = await db.query<{ total_seats: number; available_seats: number }>(
    `SELECT ${seatCounts('$2')} FROM seats s WHERE s.event_id = $1`,
    [eventId, new Date(now)],
  );
  return { ...event, totalSeats: rows[0]!.total_seats, availableSeats: rows[0]!.available_seats };
}

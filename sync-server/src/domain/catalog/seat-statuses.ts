import type { Queryable } from '../../db/pool.js';

export interface SeatStatuses {
  /** Letter i is the status of seat i in the order GET /api/events/{id} lists seats. */
  statuses: string;
  version: string;
}

/**
 * The version of an event's seat statuses: the sum and count of its seats'
 * change stamps (every write to a seat gives it a new, larger stamp, so the sum
 * moves with any committed change, whatever order transactions commit in — a
 * plain max would not, as stamps come from transaction ids) and the number of
 * holds that have expired but are not yet released. The last part changes the
 * version the moment a hold runs out, before the sweeper writes anything.
 */
const VERSION = (nowParam: string) => `(SELECT coalesce(sum(v.seq), 0) || ':' || count(*) FROM seats v WHERE v.event_id = e.id)
     || '.' || (SELECT count(*) FROM seats h WHERE h.status = 'HELD' AND h.held_until <= ${nowParam} AND h.event_id = e.id)`;

/** The current version, or null for an unknown event. */
export async function seatStatusVersion(db: Queryable, eventId: string, now: number): Promise<string | null> {
  const { rows } = await db.query<{ version: string }>(`SELECT ${VERSION('$2')} AS version FROM events e WHERE e.id = $1`, [
    eventId,
    new Date(now),
  ]);
  return rows[0]?.version ?? null;
}

/**
 * The statuses of an event's seats in the seat map's order (row A..Z before
 * AA, then number: the ORDER BY of eventWithSeats), expired holds shown as
 * AVAILABLE as the seat map shows them, with their version, in one statement
 * (one snapshot). Null for an unknown event.
 */
export async function seatStatuses(db: Queryable, eventId: string, now: number): Promise<SeatStatuses | null> {
  const { rows } = await db.query<{ statuses: string | null; version: string }>(
    `SELECT ${VERSION('$2')} AS version,
            (SELECT string_agg(CASE WHEN s.status = 'HELD' AND s.held_until <= $2 THEN 'A'
                                    WHEN s.status = 'AVAILABLE' THEN 'A' WHEN s.status = 'HELD' THEN 'H'
                                    WHEN s.status = 'SOLD' THEN 'S' ELSE 'C' END,
                               '' ORDER BY length(s.row_label), s.row_label, s.seat_number)
               FROM seats s WHERE s.event_id = e.id) AS statuses
       FROM events e WHERE e.id = $1`,
    [eventId, new Date(now)],
  );
  const row = rows[0];
  return row ? { statuses: row.statuses ?? '', version: row.version } : null;
}

import { createHash } from 'node:crypto';
import type { Queryable } from '../../db/pool.js';

export interface SeatStatuses {
  /** Letter i is the status of seat i in the order GET /api/events/{id} lists seats. */
  statuses: string;
  /** Changes whenever a letter or the seat list changes (seat ids are hashed in, so a re-seated hall cannot collide). */
  version: string;
}

/**
 * The statuses of an event's seats, in the seat map's order (row A..Z before
 * AA, then number; the same ORDER BY as eventWithSeats), with expired holds
 * shown as AVAILABLE exactly as the seat map shows them. Null for an unknown event.
 */
export async function seatStatuses(db: Queryable, eventId: string, now: number): Promise<SeatStatuses | null> {
  const { rows } = await db.query<{ statuses: string | null; ids_hash: string | null; n: number }>(
    `SELECT string_agg(CASE WHEN s.status = 'HELD' AND s.held_until <= $2 THEN 'A'
                            ELSE CASE s.status WHEN 'AVAILABLE' THEN 'A' WHEN 'HELD' THEN 'H' WHEN 'SOLD' THEN 'S' ELSE 'C' END END,
                       '' ORDER BY length(s.row_label), s.row_label, s.seat_number) AS statuses,
            md5(string_agg(s.id::text, ',' ORDER BY length(s.row_label), s.row_label, s.seat_number)) AS ids_hash,
            count(*)::int AS n
       FROM seats s WHERE s.event_id = $1`,
    [eventId, new Date(now)],
  );
  const row = rows[0]!;
  if (row.n === 0) {
    const exists = await db.query('SELECT 1 FROM events WHERE id = $1', [eventId]);
    if (!exists.rowCount) return null;
  }
  const statuses = row.statuses ?? '';
  const version = createHash('sha256')
    .update(`${row.ids_hash ?? ''}:${statuses}`)
    .digest('base64url')
    .slice(0, 22);
  return { statuses, version };
}

import type { Pool } from '../../db/pool.js';
import { readChangeWindow, type ChangeWindow } from '../sync/change-window.js';
import { effectiveStatus, type SeatStatus } from './event-queries.js';

export interface SeatStatusDelta extends Omit<ChangeWindow, 'hallId'> {
  seats: { id: string; status: SeatStatus }[];
}

/**
 * What a fan app needs to keep a seat map current: the seats whose status may
 * have changed after `since` (every seat when since = 0), as the map shows
 * them (a hold past its end is AVAILABLE), and the cursor to ask from next time
 * (readChangeWindow). A hold that runs out changes no row until the sweeper
 * releases it, so every expired, unreleased hold is listed too: a poll shows
 * the seat free the moment its hold ends. Both halves use an index (event and
 * stamp; held seats by expiry), so a poll never reads the whole map.
 */
export async function readSeatStatusDelta(pool: Pool, eventId: string, since: number, nowMs: number): Promise<SeatStatusDelta> {
  return readChangeWindow(pool, eventId, since, async (db, w) => {
    const { rows } = await db.query<{ id: string; status: SeatStatus }>(
      `SELECT s.id, ${effectiveStatus('$3')} AS status FROM seats s
        WHERE s.event_id = $1 AND ($2::bigint IS NULL OR (s.seq > $2 AND s.seq <= $4))
       UNION
       SELECT s.id, 'AVAILABLE' FROM seats s
        WHERE $2::bigint IS NOT NULL AND s.status = 'HELD' AND s.held_until <= $3 AND s.event_id = $1`,
      [eventId, w.full ? null : since, new Date(nowMs), w.cursor],
    );
    return { eventId, since, cursor: w.cursor, full: w.full, seats: rows };
  });
}

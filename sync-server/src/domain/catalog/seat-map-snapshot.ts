import type { Pool, Queryable } from '../../db/pool.js';
import { readChangeWindow } from '../sync/change-window.js';
import { eventWithSeats, type EventInfo, type SeatMapEntry } from './event-queries.js';

/** An event's seat map as one consistent snapshot, with what it takes to tell later whether it is still current. */
export interface SeatMapSnapshot {
  event: EventInfo;
  seats: SeatMapEntry[];
  /** The change cursor of the snapshot: a fan app asks for deltas from here. */
  cursor: number;
  /** Which seats had changes above the cursor, at which positions, as this snapshot saw them. */
  stamp: string;
  /** When the map changes with no write at all (the first pending hold runs out), ms; null without one. */
  nextExpiryMs: number | null;
}

/**
 * The seats changed above `cursor`: every change committed after a snapshot
 * lands there (migration change_cursor_without_hot_row), so the same stamp later means nothing changed.
 * Rows only enter this set (a new change is always above an old cursor), and a
 * row in it changes its position when it changes again, so the count and the
 * (id, position) list together tell. Usually a handful of rows: those of the
 * transactions in flight when the snapshot was taken. The row versions (xmin)
 * of the event, its venue and its categories join the stamp, so an edit of the
 * map's header (name, date, prices) is noticed too, whoever makes it.
 */
const STAMP_SQL = `
  SELECT count(*)::int AS n, coalesce(md5(string_agg(s.id::text || ':' || s.seq, ',' ORDER BY s.id)), '') AS h,
         (SELECT e.xmin::text || '/' || v.xmin::text || '/' || coalesce((SELECT string_agg(c.xmin::text, ',' ORDER BY c.category)
                                                                            FROM event_categories c WHERE c.event_id = e.id), '')
            FROM events e JOIN venues v ON v.id = e.venue_id WHERE e.id = $1) AS header
    FROM seats s WHERE s.event_id = $1 AND s.seq > $2`;

async function stampAbove(db: Queryable, eventId: string, cursor: number): Promise<string> {
  const { rows } = await db.query<{ n: number; h: string; header: string | null }>({
    name: 'seat_map_stamp',
    text: STAMP_SQL,
    values: [eventId, cursor],
  });
  return `${rows[0]!.n}:${rows[0]!.h}:${rows[0]!.header}`;
}

/** The seat map (eventWithSeats) in one repeatable-read snapshot with its cursor and stamp; EVENT_NOT_FOUND when missing. */
export async function readSeatMapSnapshot(pool: Pool, eventId: string, nowMs: number): Promise<SeatMapSnapshot> {
  return readChangeWindow(pool, eventId, 0, async (db, w) => {
    const stamp = await stampAbove(db, eventId, w.cursor);
    const expiry = await db.query<{ at: Date | null }>(
      `SELECT min(held_until) AS at FROM seats WHERE event_id = $1 AND status = 'HELD' AND held_until > $2`,
      [eventId, new Date(nowMs)],
    );
    const map = (await eventWithSeats(db, eventId, nowMs))!;
    return { ...map, cursor: w.cursor, stamp, nextExpiryMs: expiry.rows[0]!.at?.getTime() ?? null };
  });
}

/** True when no seat of the event changed since the snapshot that had this cursor and stamp (one indexed query). */
export async function seatMapUnchanged(db: Queryable, eventId: string, since: Pick<SeatMapSnapshot, 'cursor' | 'stamp'>): Promise<boolean> {
  return (await stampAbove(db, eventId, since.cursor)) === since.stamp;
}

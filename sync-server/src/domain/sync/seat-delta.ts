import { requireDeviceHall } from '../../policy/access.js';
import { sync } from '@ticketgate/protocol';
import type { AppContext } from '../../context.js';
import { readChangeWindow } from './change-window.js';
import type { DeviceIdentity } from './device-identity.js';

/** A seat delta whose `seats` array is already JSON text (see readSeatDelta). */
export interface SeatDeltaText {
  eventId: string;
  since: number;
  cursor: number;
  full: boolean;
  count: number;
  /** JSON array of SeatTuple. */
  seatsJson: string;
}

/**
 * Seats of one event as SeatTuples, built by PostgreSQL as one JSON text: a
 * 100,000-seat snapshot is one query and one string, with no per-row objects
 * in Node. Unordered: sorting 100,000 rows would cost more than the rest of
 * the query, and a gate keys seats by id anyway. The admission columns come from
 * the canonical admission (the seat's checked_in_at when no scan row explains it).
 */
const SEAT_TUPLES_SQL = `
  SELECT count(*)::int AS count,
         coalesce(json_agg(json_build_array(
           s.id, s.row_label, s.seat_number, s.category, s.status, s.generation, u.display_name,
           to_char(coalesce(a.scanned_at, s.checked_in_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
           CASE WHEN a.id IS NOT NULL THEN coalesce(d.name, $3) END,
           a.device_id
         )), '[]')::text AS seats
    FROM seats s
    LEFT JOIN users u ON u.id = s.owner_user_id
    LEFT JOIN scans a ON a.seat_id = s.id AND a.result = 'SUCCESS' AND NOT a.is_conflict AND NOT a.re_entry AND a.annulled_at IS NULL
    LEFT JOIN devices d ON d.id = a.device_id
   WHERE s.event_id = $1 AND ($2::bigint IS NULL OR (s.seq > $2 AND s.seq <= $4))`;

/**
 * The seats of an event changed after `since` (all of them when since = 0), and
 * the cursor to ask from next time (readChangeWindow: a change committing
 * during or after the pull comes with the next delta; none is sent twice, except
 * that a full snapshot lists every seat as it is now, so the next delta may
 * repeat the few changed above its cursor, which a gate applies harmlessly).
 */
export async function readSeatDelta(
  ctx: Pick<AppContext, 'pool'>,
  device: DeviceIdentity,
  eventId: string,
  since: number,
): Promise<SeatDeltaText> {
  return readChangeWindow(ctx.pool, eventId, since, async (db, w) => {
    requireDeviceHall(device, { hall_id: w.hallId });
    const { rows } = await db.query<{ count: number; seats: string }>(SEAT_TUPLES_SQL, [
      eventId,
      w.full ? null : since,
      sync.ONLINE_ADMITTED_BY,
      w.cursor,
    ]);
    return { eventId, since, cursor: w.cursor, full: w.full, count: rows[0]!.count, seatsJson: rows[0]!.seats };
  });
}

import { requireDeviceHall } from '../../policy/access.js';
import { sync } from '@ticketgate/protocol';
import type { AppContext } from '../../context.js';
import { withTransaction } from '../../db/pool.js';
import { DomainError } from '../errors.js';
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
    LEFT JOIN scans a ON a.seat_id = s.id AND a.result = 'SUCCESS' AND NOT a.is_conflict
    LEFT JOIN devices d ON d.id = a.device_id
   WHERE s.event_id = $1 AND ($2::bigint IS NULL OR s.seq > $2)`;

/**
 * The seats of an event changed after `since` (all of them when since = 0), and
 * the cursor to ask from next time.
 *
 * Cursor correctness: the seq trigger assigns sequence numbers under the event
 * row's lock, so transactions changing one event's seats commit in seq order.
 * Reading events.seq and the seats in ONE repeatable-read snapshot therefore
 * sees every change up to the cursor and none beyond it: a change committing
 * during the pull has a higher seq and comes with the next delta.
 *
 * A cursor ahead of the server's (a restored database) gets a full snapshot.
 */
export async function readSeatDelta(
  ctx: Pick<AppContext, 'pool'>,
  device: DeviceIdentity,
  eventId: string,
  since: number,
): Promise<SeatDeltaText> {
  return withTransaction(
    ctx.pool,
    async (db) => {
      const ev = (await db.query<{ hall_id: string; seq: number }>('SELECT hall_id, seq FROM events WHERE id = $1', [eventId])).rows[0];
      if (!ev) throw new DomainError('EVENT_NOT_FOUND');
      requireDeviceHall(device, ev);
      const full = since === 0 || since > ev.seq;
      const { rows } = await db.query<{ count: number; seats: string }>(SEAT_TUPLES_SQL, [
        eventId,
        full ? null : since,
        sync.ONLINE_ADMITTED_BY,
      ]);
      return { eventId, since, cursor: ev.seq, full, count: rows[0]!.count, seatsJson: rows[0]!.seats };
    },
    { isolation: 'REPEATABLE READ' },
  );
}

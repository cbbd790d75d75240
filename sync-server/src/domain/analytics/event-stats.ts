import type { Queryable } from '../../db/pool.js';
import { eventHall } from '../sync/hall-events.js';
import { COUNTED_TRANSFER_STATUSES, INVALID_SCAN_RESULTS } from './counted-states.js';

export interface EventStats {
  eventId: string;
  /** Canonical admissions (one per seat at most). */
  scanCount: number;
  transferCount: number;
  invalidAttemptCount: number;
  /** Double admissions: later SUCCESS scans of an already admitted seat. */
  conflictCount: number;
}

/**
 * Scan, transfer and invalid-attempt counts of one event (EVENT_NOT_FOUND if it
 * does not exist) or of every event of the venues (all when null), soonest first. Scans that could not be
 * attributed to an event (an undecodable QR) belong to none.
 */
export async function eventStats(db: Queryable, eventId: string | undefined, venueIds: string[] | null): Promise<EventStats[]> {
  if (eventId) await eventHall(db, eventId);
  const { rows } = await db.query<{ event_id: string; scans: number; invalid: number; conflicts: number; transfers: number }>(
    `SELECT e.id AS event_id,
            COALESCE(sc.scans, 0)::int AS scans, COALESCE(sc.invalid, 0)::int AS invalid,
            COALESCE(sc.conflicts, 0)::int AS conflicts, COALESCE(tr.transfers, 0)::int AS transfers
       FROM events e
       LEFT JOIN (SELECT event_id,
                         count(*) FILTER (WHERE result = 'SUCCESS' AND NOT is_conflict AND NOT re_entry AND annulled_at IS NULL) AS scans,
                         count(*) FILTER (WHERE result = ANY($2::text[])) AS invalid,
                         count(*) FILTER (WHERE is_conflict) AS conflicts
                    FROM scans
                   WHERE event_id IS NOT NULL AND ($1::uuid IS NULL OR event_id = $1)
                   GROUP BY event_id) sc ON sc.event_id = e.id
       LEFT JOIN (SELECT s.event_id, count(*) AS transfers
                    FROM transfers t JOIN seats s ON s.id = t.seat_id
                   WHERE t.status = ANY($3::text[]) AND ($1::uuid IS NULL OR s.event_id = $1)
                   GROUP BY s.event_id) tr ON tr.event_id = e.id
      WHERE ($1::uuid IS NULL OR e.id = $1) AND ($4::uuid[] IS NULL OR e.venue_id = ANY ($4::uuid[]))
      ORDER BY e.event_date, e.id`,
    [eventId ?? null, INVALID_SCAN_RESULTS, COUNTED_TRANSFER_STATUSES, venueIds],
  );
  return rows.map((r) => ({
    eventId: r.event_id,
    scanCount: r.scans,
    transferCount: r.transfers,
    invalidAttemptCount: r.invalid,
    conflictCount: r.conflicts,
  }));
}

import { admission, sync } from '@ticketgate/protocol';
import type { Queryable } from '../../db/pool.js';

/**
 * The canonical-admission rules (docs/sync-protocol.md, "Conflicts"): of all
 * SUCCESS scans of a seat, the first by scan time is THE admission (ties: online
 * staff first, then device id, then client scan id: admission.canonicalOf of
 * @ticketgate/protocol, the one ordering gates and server share), every other
 * one is a conflict.
 * Callers hold the seats' row locks, which serialises everything that admits a
 * given seat.
 */

export interface LockedSeat {
  id: string;
  eventId: string;
  hallId: string;
}

/** Row-locks seats in id order, so concurrent batches touching the same seats cannot deadlock. */
export async function lockSeats(db: Queryable, seatIds: string[]): Promise<Map<string, LockedSeat>> {
  if (seatIds.length === 0) return new Map();
  const { rows } = await db.query<{ id: string; event_id: string; hall_id: string }>(
    `SELECT s.id, s.event_id, e.hall_id FROM seats s JOIN events e ON e.id = s.event_id
      WHERE s.id = ANY($1::uuid[]) ORDER BY s.id FOR UPDATE OF s`,
    [seatIds],
  );
  return new Map(rows.map((r) => [r.id, { id: r.id, eventId: r.event_id, hallId: r.hall_id }]));
}

export interface CanonicalChange {
  seatId: string;
  scannedAt: Date;
}

/**
 * Re-elects the canonical admission of each seat and returns the seats whose
 * canonical admission changed. New admissions arrive as provisional conflicts;
 * the winner is promoted after the previous canonical is demoted, in that order,
 * because the unique index scans_one_admission_per_seat is checked row by row.
 */
export async function electCanonicalAdmissions(db: Queryable, seatIds: string[]): Promise<CanonicalChange[]> {
  if (seatIds.length === 0) return [];
  const { rows } = await db.query<{
    id: string;
    seat_id: string;
    scanned_at: Date;
    device_id: string | null;
    client_scan_id: string | null;
    is_conflict: boolean;
  }>(
    `SELECT id, seat_id, scanned_at, device_id, client_scan_id, is_conflict FROM scans
      WHERE seat_id = ANY($1::uuid[]) AND result = 'SUCCESS'`,
    [seatIds],
  );
  const bySeat = new Map<string, typeof rows>();
  for (const r of rows) bySeat.set(r.seat_id, [...(bySeat.get(r.seat_id) ?? []), r]);
  // The shared rule picks the winner (earliest scan, then online staff, then device id, then scan id).
  const winners = [...bySeat.values()]
    .map((candidates) =>
      admission.canonicalOf(
        candidates.map((r) => ({ ...r, at: r.scanned_at.getTime(), deviceId: r.device_id, scanId: `${r.client_scan_id ?? ''}/${r.id}` })),
      )!,
    )
    .filter((w) => w.is_conflict);
  if (winners.length === 0) return [];
  await db.query(`UPDATE scans SET is_conflict = true WHERE seat_id = ANY($1::uuid[]) AND result = 'SUCCESS' AND NOT is_conflict`, [
    winners.map((w) => w.seat_id),
  ]);
  await db.query('UPDATE scans SET is_conflict = false WHERE id = ANY($1::uuid[])', [winners.map((w) => w.id)]);
  return winners.map((w) => ({ seatId: w.seat_id, scannedAt: w.scanned_at }));
}

/**
 * Makes the seats show their (new) canonical admission: a SOLD seat becomes
 * CHECKED_IN at the admission's time, a CHECKED_IN one takes the earlier time.
 * Any other seat is still touched, because the change must reach every gate
 * through the event's sequence like any other seat change.
 */
export async function applyAdmissionsToSeats(db: Queryable, changes: CanonicalChange[]): Promise<void> {
  if (changes.length === 0) return;
  await db.query(
    `UPDATE seats s
        SET status = CASE WHEN s.status IN ('SOLD', 'CHECKED_IN') THEN 'CHECKED_IN' ELSE s.status END,
            checked_in_at = CASE WHEN s.status IN ('SOLD', 'CHECKED_IN') THEN c.at END,
            updated_at = clock_timestamp()
       FROM unnest($1::uuid[], $2::timestamptz[]) AS c(seat_id, at)
      WHERE s.id = c.seat_id`,
    [changes.map((c) => c.seatId), changes.map((c) => c.scannedAt)],
  );
}

export function admittedBy(deviceName: string | null): string {
  return deviceName ?? sync.ONLINE_ADMITTED_BY;
}

/** The canonical admission of each seat that has one. */
export async function canonicalAdmissions(db: Queryable, seatIds: string[]): Promise<Map<string, sync.Admission>> {
  if (seatIds.length === 0) return new Map();
  const { rows } = await db.query<{
    seat_id: string;
    event_id: string;
    scanned_at: Date;
    device_id: string | null;
    device_name: string | null;
  }>(
    `SELECT a.seat_id, s.event_id, a.scanned_at, a.device_id, d.name AS device_name
       FROM scans a JOIN seats s ON s.id = a.seat_id LEFT JOIN devices d ON d.id = a.device_id
      WHERE a.seat_id = ANY($1::uuid[]) AND a.result = 'SUCCESS' AND NOT a.is_conflict`,
    [seatIds],
  );
  return new Map(
    rows.map((r) => [
      r.seat_id,
      {
        event_id: r.event_id,
        seat_id: r.seat_id,
        scanned_at: r.scanned_at.toISOString(),
        device_id: r.device_id,
        admitted_by: admittedBy(r.device_name),
      },
    ]),
  );
}

import { admission, sync } from '@ticketgate/protocol';
import type { Queryable } from '../../db/pool.js';
import { admissionRules } from './admission-policy.js';

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
  /** The new canonical admission's time; null when the seat has none any more (its admission was annulled). */
  scannedAt: Date | null;
}

/** A scan row that is THE admission of its seat (not a conflict, a re-entry or annulled). */
export const CANONICAL_ADMISSION = (t: string) =>
  `${t}.result = 'SUCCESS' AND NOT ${t}.is_conflict AND NOT ${t}.re_entry AND ${t}.annulled_at IS NULL`;

/**
 * Re-elects each seat's movements and returns the seats whose canonical
 * admission changed. The shared walk (admission.electMovements, in canonicalOf's
 * order, under the event's policy) sorts every not annulled entry into THE
 * admission, an allowed re-entry or a conflict, with exits in between; gates run
 * the same walk, so both sides converge whatever order the scans arrived in.
 * New admissions arrive as provisional conflicts; rows are demoted, then marked
 * re-entries, then the winner promoted, in that order, because the unique index
 * scans_one_admission_per_seat is checked row by row.
 */
export async function electCanonicalAdmissions(db: Queryable, seatIds: string[]): Promise<CanonicalChange[]> {
  if (seatIds.length === 0) return [];
  const rows = await seatMovements(db, seatIds);
  const rules = await admissionRules(db, [...new Set(rows.map((r) => r.event_id))]);
  const bySeat = new Map<string, typeof rows>(seatIds.map((id) => [id, []]));
  for (const r of rows) bySeat.get(r.seat_id)?.push(r);

  // A seat still showing an admission that was annulled since: it changes even when nothing replaces it.
  const { rows: showingAnnulled } = await db.query<{ id: string }>(
    `SELECT s.id FROM seats s
      WHERE s.id = ANY($1::uuid[]) AND s.status = 'CHECKED_IN' AND EXISTS (
            SELECT 1 FROM scans k WHERE k.seat_id = s.id AND k.result = 'SUCCESS' AND k.annulled_at IS NOT NULL AND k.scanned_at = s.checked_in_at)`,
    [seatIds],
  );
  const stale = new Set(showingAnnulled.map((r) => r.id));
  const demote: string[] = [];
  const reentries: string[] = [];
  const promote: string[] = [];
  const changes: CanonicalChange[] = [];
  for (const [seatId, list] of bySeat) {
    const movements = list.map((r) => ({ ...asMovement(r), row: r }));
    const event = list[0]?.event_id;
    const elected = admission.electMovements(movements, (event && rules.get(event)) || admission.SINGLE_ENTRY, admission.compareAdmissions);
    const before = list.find((r) => r.result === 'SUCCESS' && !r.is_conflict && !r.re_entry) ?? null;
    const winner = elected.canonical?.row ?? null;
    for (const m of elected.conflicts) if (!m.row.is_conflict) demote.push(m.row.id);
    for (const m of elected.reentries) if (!m.row.re_entry) reentries.push(m.row.id);
    if (winner && (winner.is_conflict || winner.re_entry)) promote.push(winner.id);
    if (before?.id !== winner?.id || (stale.has(seatId) && !winner)) changes.push({ seatId, scannedAt: winner?.scanned_at ?? null });
  }
  if (demote.length) await db.query('UPDATE scans SET is_conflict = true, re_entry = false WHERE id = ANY($1::uuid[])', [demote]);
  if (reentries.length) await db.query('UPDATE scans SET is_conflict = false, re_entry = true WHERE id = ANY($1::uuid[])', [reentries]);
  if (promote.length) await db.query('UPDATE scans SET is_conflict = false, re_entry = false WHERE id = ANY($1::uuid[])', [promote]);
  return changes;
}

export interface MovementRow {
  id: string;
  seat_id: string;
  event_id: string;
  result: string;
  scanned_at: Date;
  device_id: string | null;
  client_scan_id: string | null;
  is_conflict: boolean;
  re_entry: boolean;
}

/** Every not annulled admission (canonical, re-entry or conflict) and exit of the seats. */
export async function seatMovements(db: Queryable, seatIds: string[]): Promise<MovementRow[]> {
  const { rows } = await db.query<MovementRow>(
    `SELECT id, seat_id, event_id, result, scanned_at, device_id, client_scan_id, is_conflict, re_entry FROM scans
      WHERE seat_id = ANY($1::uuid[]) AND result IN ('SUCCESS', 'EXITED') AND annulled_at IS NULL`,
    [seatIds],
  );
  return rows;
}

/** A scan row as the shared rule's movement; the scan id orders like canonicalOf's tie-break. */
export function asMovement(r: MovementRow): admission.Movement {
  return {
    direction: r.result === 'EXITED' ? 'exit' : 'entry',
    at: r.scanned_at.getTime(),
    deviceId: r.device_id,
    scanId: `${r.client_scan_id ?? ''}/${r.id}`,
  };
}

/**
 * Makes the seats show their (new) canonical admission: a SOLD seat becomes
 * CHECKED_IN at the admission's time, a CHECKED_IN one takes the earlier time,
 * and one whose only admission was annulled is SOLD again (admissible).
 * Any other seat is still touched, because the change must reach every gate
 * through the event's sequence like any other seat change.
 */
export async function applyAdmissionsToSeats(db: Queryable, changes: CanonicalChange[]): Promise<void> {
  if (changes.length === 0) return;
  await db.query(
    `UPDATE seats s
        SET status = CASE WHEN s.status IN ('SOLD', 'CHECKED_IN') THEN (CASE WHEN c.at IS NULL THEN 'SOLD' ELSE 'CHECKED_IN' END)
                          ELSE s.status END,
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
      WHERE a.seat_id = ANY($1::uuid[]) AND ${CANONICAL_ADMISSION('a')}`,
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

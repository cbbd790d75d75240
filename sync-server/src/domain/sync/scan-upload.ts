import type { sync } from '@ticketgate/protocol';
import type { z } from 'zod';
import type { AppContext } from '../../context.js';
import type { Client } from '../../db/pool.js';
import { ONE_ADMISSION_PER_SEAT, retryOnUniqueViolation } from '../../db/unique-retry.js';
import { applyAdmissionsToSeats, canonicalAdmissions, electCanonicalAdmissions, lockSeats } from './admissions.js';
import type { DeviceIdentity } from './device-identity.js';

type UploadRequest = z.input<typeof sync.ScanUploadRequest>;
type UploadResult = Omit<sync.ScanUploadResponse, 'server_time'>;

interface ScanRow {
  clientScanId: string;
  eventId: string | null;
  seatId: string | null;
  generation: number | null;
  result: sync.UploadedScan['result'];
  reason: string | null;
  scannedAt: Date;
}

/**
 * Stores one batch of a gate's scans in one transaction and settles the
 * admissions among them. Idempotent on (device, client_scan_id): a re-sent
 * batch stores nothing twice and gets the same answer, so a gate that lost a
 * response simply sends again.
 */
export async function uploadScans(ctx: Pick<AppContext, 'pool' | 'now'>, device: DeviceIdentity, req: UploadRequest): Promise<UploadResult> {
  const now = ctx.now();
  const rejected: UploadResult['rejected'] = [];
  const wanted = new Map<string, sync.UploadedScan>();
  for (const s of req.scans) {
    if (wanted.has(s.client_scan_id)) continue;
    const at = Date.parse(s.scanned_at);
    if (Number.isNaN(at)) rejected.push({ client_scan_id: s.client_scan_id, reason: 'scanned_at is not a date' });
    else if (s.result === 'SUCCESS' && !s.seat_id) rejected.push({ client_scan_id: s.client_scan_id, reason: 'an admission needs a seat' });
    else wanted.set(s.client_scan_id, s);
  }

  // Another writer (the online /api/verify) may admit the same seat without our seat lock order.
  return retryOnUniqueViolation(ctx.pool, ONE_ADMISSION_PER_SEAT, (db) => storeBatch(db, device, [...wanted.values()], req, now, rejected));
}

async function storeBatch(
  db: Client,
  device: DeviceIdentity,
  scans: sync.UploadedScan[],
  req: UploadRequest,
  now: number,
  preRejected: UploadResult['rejected'],
): Promise<UploadResult> {
  const rejected = [...preRejected];
  const admissionSeatIds = [...new Set(scans.filter((s) => s.result === 'SUCCESS').map((s) => s.seat_id!))];
  const locked = await lockSeats(db, admissionSeatIds);
  const otherSeatIds = [...new Set(scans.map((s) => s.seat_id).filter((id): id is string => !!id && !locked.has(id)))];
  const known = await knownSeatsAndEvents(db, otherSeatIds, scans);

  const rows: ScanRow[] = [];
  for (const s of scans) {
    const seat = s.seat_id ? (locked.get(s.seat_id) ?? known.seats.get(s.seat_id)) : undefined;
    if (s.result === 'SUCCESS' && (!seat || seat.hallId !== device.hallId)) {
      rejected.push({ client_scan_id: s.client_scan_id, reason: seat ? `seat is not in hall ${device.hallId}` : 'unknown seat' });
      continue;
    }
    const eventId = seat?.eventId ?? (s.event_id && known.events.has(s.event_id) ? s.event_id : null);
    // The scan happened at this gate's hall; a ticket's own hall is kept only as the reason of a refusal.
    const ticketHall = s.hall_id && s.hall_id !== device.hallId ? `ticket hall ${s.hall_id}` : null;
    rows.push({
      clientScanId: s.client_scan_id,
      eventId,
      seatId: seat?.id ?? null,
      generation: s.generation,
      result: s.result,
      reason: s.reason ?? ticketHall,
      // A scan cannot have happened after it arrived: clamping keeps a fast gate clock from winning admissions.
      scannedAt: new Date(Math.min(Date.parse(s.scanned_at), now)),
    });
  }

  const inserted = await insertScans(db, device, rows);
  const newAdmissionSeats = [...new Set(rows.filter((r) => r.result === 'SUCCESS' && inserted.has(r.clientScanId)).map((r) => r.seatId!))];
  await applyAdmissionsToSeats(db, await electCanonicalAdmissions(db, newAdmissionSeats));

  await db.query('UPDATE devices SET last_backlog = $2, clock_offset_ms = $3, last_seen_at = $4 WHERE id = $1', [
    device.id,
    req.backlog,
    req.clock_offset_ms,
    new Date(now),
  ]);

  const admissionIds = rows.filter((r) => r.result === 'SUCCESS').map((r) => r.clientScanId);
  const { rows: lost } = await db.query<{ client_scan_id: string; seat_id: string }>(
    `SELECT client_scan_id, seat_id FROM scans
      WHERE device_id = $1 AND client_scan_id = ANY($2::text[]) AND result = 'SUCCESS' AND is_conflict`,
    [device.id, admissionIds],
  );
  const canonical = await canonicalAdmissions(db, [...new Set(lost.map((l) => l.seat_id))]);
  return {
    accepted: rows.map((r) => r.clientScanId),
    conflicts: lost.map((l) => ({ client_scan_id: l.client_scan_id, seat_id: l.seat_id, canonical: canonical.get(l.seat_id)! })),
    rejected,
  };
}

/** Seats and events a batch refers to beyond the locked ones: unknown ids are stored as null, not refused. */
async function knownSeatsAndEvents(db: Client, seatIds: string[], scans: sync.UploadedScan[]) {
  const seats = new Map<string, { id: string; eventId: string; hallId: string }>();
  if (seatIds.length > 0) {
    const { rows } = await db.query<{ id: string; event_id: string; hall_id: string }>(
      'SELECT s.id, s.event_id, e.hall_id FROM seats s JOIN events e ON e.id = s.event_id WHERE s.id = ANY($1::uuid[])',
      [seatIds],
    );
    for (const r of rows) seats.set(r.id, { id: r.id, eventId: r.event_id, hallId: r.hall_id });
  }
  const eventIds = [...new Set(scans.map((s) => s.event_id).filter((id): id is string => !!id))];
  const events = new Set<string>();
  if (eventIds.length > 0) {
    const { rows } = await db.query<{ id: string }>('SELECT id FROM events WHERE id = ANY($1::uuid[])', [eventIds]);
    for (const r of rows) events.add(r.id);
  }
  return { seats, events };
}

/** Inserts the batch in one statement; admissions go in as provisional conflicts until elected. Returns the client ids that were new. */
async function insertScans(db: Client, device: DeviceIdentity, rows: ScanRow[]): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const { rows: inserted } = await db.query<{ client_scan_id: string }>(
    `INSERT INTO scans (client_scan_id, device_id, hall_id, event_id, seat_id, generation, result, reason, scanned_at, is_conflict)
     SELECT c, $1, $2, e, s, g, r, why, at, r = 'SUCCESS'
       FROM unnest($3::text[], $4::uuid[], $5::uuid[], $6::int[], $7::text[], $8::text[], $9::timestamptz[]) AS t(c, e, s, g, r, why, at)
     ON CONFLICT (device_id, client_scan_id) WHERE device_id IS NOT NULL DO NOTHING
     RETURNING client_scan_id`,
    [
      device.id,
      device.hallId,
      rows.map((r) => r.clientScanId),
      rows.map((r) => r.eventId),
      rows.map((r) => r.seatId),
      rows.map((r) => r.generation),
      rows.map((r) => r.result),
      rows.map((r) => r.reason),
      rows.map((r) => r.scannedAt),
    ],
  );
  return new Set(inserted.map((r) => r.client_scan_id));
}

import { admission, type sync } from '@ticketgate/protocol';
import type { z } from 'zod';
import type { AppContext } from '../../context.js';
import type { Client } from '../../db/pool.js';
import { ONE_ADMISSION_PER_SEAT, retryOnUniqueViolation } from '../../db/unique-retry.js';
import { admissionRules } from './admission-policy.js';
import { proveAdmissions } from './admission-proof.js';
import { applyAdmissionsToSeats, canonicalAdmissions, electCanonicalAdmissions, lockSeats } from './admissions.js';
import type { DeviceIdentity } from './device-identity.js';

type UploadRequest = z.input<typeof sync.ScanUploadRequest>;
type UploadResult = Omit<sync.ScanUploadResponse, 'server_time'>;
type UploadContext = Pick<AppContext, 'pool' | 'now' | 'config'>;

/** A scan the server refuses to count: answered to the gate, kept in rejected_uploads. */
interface Rejection {
  scan: sync.UploadedScan;
  code: admission.UploadRejection;
  detail: string | null;
}
const rejection = (scan: sync.UploadedScan, code: admission.UploadRejection, detail?: string | null): Rejection => ({
  scan,
  code,
  detail: detail ?? null,
});

interface ScanRow {
  clientScanId: string;
  eventId: string | null;
  seatId: string | null;
  generation: number | null;
  result: sync.UploadedScan['result'];
  reason: string | null;
  scannedAt: Date;
  direction: sync.Direction;
  annulledAt: Date | null;
  /** The uploading gate's zone under the event's policy at the upload. */
  zone: string | null;
}

/** Scans that take part in a seat's election: admissions and exits. */
const isMovement = (s: { result: string }) => s.result === 'SUCCESS' || s.result === 'EXITED';

/** The annulment time of an upload, null when none or unreadable (an unreadable one is ignored, the admission stands). */
function annulledAt(s: sync.UploadedScan): Date | null {
  const t = s.annulled_at ? Date.parse(s.annulled_at) : Number.NaN;
  return Number.isNaN(t) ? null : new Date(t);
}

/**
 * Stores one batch of a gate's scans in one transaction and settles the
 * admissions among them. Idempotent on (device, client_scan_id): a re-sent
 * batch stores nothing twice and gets the same answer, so a gate that lost a
 * response simply sends again.
 *
 * A gate's word alone never changes a seat: an uploaded SUCCESS counts only
 * with a proof (admission-proof.ts, the shared admission.judgeUploadedAdmission),
 * and any scan naming a seat or event of another hall is refused. Refused scans
 * are kept in rejected_uploads with their reason and counted on the device.
 */
export async function uploadScans(ctx: UploadContext, device: DeviceIdentity, req: UploadRequest): Promise<UploadResult> {
  const now = ctx.now();
  const rejected: Rejection[] = [];
  const wanted = new Map<string, sync.UploadedScan>();
  for (const s of req.scans) {
    if (wanted.has(s.client_scan_id) || rejected.some((r) => r.scan.client_scan_id === s.client_scan_id)) continue;
    const at = Date.parse(s.scanned_at);
    if (Number.isNaN(at)) rejected.push(rejection(s, 'bad_scan_time', 'scanned_at is not a date'));
    else if (s.result === 'SUCCESS' && !s.seat_id) rejected.push(rejection(s, 'unknown_seat', 'an admission needs a seat'));
    else wanted.set(s.client_scan_id, s);
  }

  // Another writer (the online /api/verify) may admit the same seat without our seat lock order.
  return retryOnUniqueViolation(ctx.pool, ONE_ADMISSION_PER_SEAT, (db) =>
    storeBatch(db, ctx, device, [...wanted.values()], req, now, rejected),
  );
}

async function storeBatch(
  db: Client,
  ctx: UploadContext,
  device: DeviceIdentity,
  scans: sync.UploadedScan[],
  req: UploadRequest,
  now: number,
  preRejected: Rejection[],
): Promise<UploadResult> {
  const rejected = [...preRejected];
  const admissionSeatIds = [...new Set(scans.filter((s) => isMovement(s) && s.seat_id).map((s) => s.seat_id!))];
  const locked = await lockSeats(db, admissionSeatIds);
  const otherSeatIds = [...new Set(scans.map((s) => s.seat_id).filter((id): id is string => !!id && !locked.has(id)))];
  const known = await knownSeatsAndEvents(db, otherSeatIds, scans);
  const seatOf = (s: sync.UploadedScan) => (s.seat_id ? (locked.get(s.seat_id) ?? known.seats.get(s.seat_id)) : undefined);

  // Admissions stored by an earlier upload of this batch were judged then: a re-sent batch gets the same answer.
  const stored = await storedScanIds(
    db,
    device.id,
    scans.map((s) => s.client_scan_id),
  );
  const proofs = await proveAdmissions(
    db,
    ctx,
    device,
    req.version ?? 1,
    scans
      .filter((s) => s.result === 'SUCCESS' && !stored.has(s.client_scan_id))
      .map((s) => ({ scan: s, at: Date.parse(s.scanned_at), seat: seatOf(s) ?? null })),
  );

  const rules = await admissionRules(db, [
    ...new Set([...locked.values(), ...known.seats.values()].map((seat) => seat.eventId).concat([...known.events.keys()])),
  ]);
  const rows: ScanRow[] = [];
  for (const s of scans) {
    const seat = seatOf(s);
    const proof = proofs.get(s.client_scan_id);
    if (proof && !proof.accepted) {
      rejected.push(rejection(s, proof.reason, proof.detail));
      continue;
    }
    // Any other scan is kept only for the device's own hall: it is the hall's entry log.
    const eventHall = s.event_id ? known.events.get(s.event_id) : undefined;
    if (s.result !== 'SUCCESS' && ((seat && seat.hallId !== device.hallId) || (eventHall && eventHall !== device.hallId))) {
      rejected.push(
        rejection(
          s,
          'other_hall',
          `names a ${seat && seat.hallId !== device.hallId ? 'seat' : 'event'} of hall ${seat?.hallId ?? eventHall}`,
        ),
      );
      continue;
    }
    const eventId = seat?.eventId ?? (eventHall ? s.event_id : null);
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
      direction: s.direction ?? 'entry',
      annulledAt: annulledAt(s),
      zone: eventId ? admission.zoneOfDevice(rules.get(eventId) ?? admission.SINGLE_ENTRY, device.id) : null,
    });
  }

  const inserted = await insertScans(db, device, rows);
  // An admission stored earlier and annulled since (its turnstile saw nobody pass) is sent again with its annulment.
  const annulled = await recordAnnulments(
    db,
    device,
    rows.filter((r) => r.annulledAt && !inserted.has(r.clientScanId)),
  );
  await recordRejections(db, device, rejected, now);
  const changedSeats = [
    ...new Set([...rows.filter((r) => isMovement(r) && r.seatId && inserted.has(r.clientScanId)).map((r) => r.seatId!), ...annulled]),
  ];
  await applyAdmissionsToSeats(db, await electCanonicalAdmissions(db, changedSeats));

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
    rejected: rejected.map((r) => ({ client_scan_id: r.scan.client_scan_id, reason: reasonText(r) })),
  };
}

const reasonText = (r: Rejection) => (r.detail ? `${r.code}: ${r.detail}` : r.code).slice(0, 500);

async function storedScanIds(db: Client, deviceId: string, clientScanIds: string[]): Promise<Set<string>> {
  if (clientScanIds.length === 0) return new Set();
  const { rows } = await db.query<{ client_scan_id: string }>(
    'SELECT client_scan_id FROM scans WHERE device_id = $1 AND client_scan_id = ANY($2::text[])',
    [deviceId, clientScanIds],
  );
  return new Set(rows.map((r) => r.client_scan_id));
}

/** Keeps each refused scan once (a re-sent one is not counted again) and counts the new ones on the device. */
async function recordRejections(db: Client, device: DeviceIdentity, rejected: Rejection[], now: number): Promise<void> {
  if (rejected.length === 0) return;
  const at = (s: sync.UploadedScan) => {
    const t = Date.parse(s.scanned_at);
    return Number.isNaN(t) ? null : new Date(t);
  };
  await db.query(
    `WITH added AS (
       INSERT INTO rejected_uploads (device_id, client_scan_id, hall_id, event_id, seat_id, generation, result, scanned_at, credential, reason_code, reason, received_at)
       SELECT $1, c, $2, e, s, g, r, at, cred, code, why, $12
         FROM unnest($3::text[], $4::uuid[], $5::uuid[], $6::int[], $7::text[], $8::timestamptz[], $9::text[], $10::text[], $11::text[])
              AS t(c, e, s, g, r, at, cred, code, why)
       ON CONFLICT ON CONSTRAINT rejected_uploads_once DO NOTHING
       RETURNING 1)
     UPDATE devices SET rejected_uploads = rejected_uploads + (SELECT count(*) FROM added) WHERE id = $1`,
    [
      device.id,
      device.hallId,
      rejected.map((r) => r.scan.client_scan_id),
      rejected.map((r) => r.scan.event_id),
      rejected.map((r) => r.scan.seat_id),
      rejected.map((r) => r.scan.generation),
      rejected.map((r) => r.scan.result),
      rejected.map((r) => at(r.scan)),
      rejected.map((r) => r.scan.credential ?? null),
      rejected.map((r) => r.code),
      rejected.map(reasonText),
      new Date(now),
    ],
  );
}

/** Seats and events (with their halls) a batch refers to beyond the locked ones: unknown ids are stored as null, not refused. */
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
  const events = new Map<string, string>();
  if (eventIds.length > 0) {
    const { rows } = await db.query<{ id: string; hall_id: string }>('SELECT id, hall_id FROM events WHERE id = ANY($1::uuid[])', [
      eventIds,
    ]);
    for (const r of rows) events.set(r.id, r.hall_id);
  }
  return { seats, events };
}

/** Marks stored admissions of this device annulled (once: a re-sent annulment changes nothing). Returns their seats. */
async function recordAnnulments(db: Client, device: DeviceIdentity, rows: ScanRow[]): Promise<string[]> {
  if (rows.length === 0) return [];
  const { rows: seats } = await db.query<{ seat_id: string }>(
    `UPDATE scans k SET annulled_at = t.at, is_conflict = false, re_entry = false
       FROM unnest($2::text[], $3::timestamptz[]) AS t(c, at)
      WHERE k.device_id = $1 AND k.client_scan_id = t.c AND k.result = 'SUCCESS' AND k.annulled_at IS NULL
     RETURNING k.seat_id`,
    [device.id, rows.map((r) => r.clientScanId), rows.map((r) => r.annulledAt)],
  );
  return seats.map((s) => s.seat_id);
}

/**
 * Inserts the batch in one statement; admissions go in as provisional conflicts
 * until elected (an annulled one never counts). Returns the client ids that were new.
 */
async function insertScans(db: Client, device: DeviceIdentity, rows: ScanRow[]): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const { rows: inserted } = await db.query<{ client_scan_id: string }>(
    `INSERT INTO scans (client_scan_id, device_id, hall_id, event_id, seat_id, generation, result, reason, scanned_at, is_conflict,
                        direction, annulled_at, zone)
     SELECT c, $1, $2, e, s, g, r, why, at, r = 'SUCCESS' AND an IS NULL, dir, an, z
       FROM unnest($3::text[], $4::uuid[], $5::uuid[], $6::int[], $7::text[], $8::text[], $9::timestamptz[], $10::text[], $11::timestamptz[], $12::text[])
            AS t(c, e, s, g, r, why, at, dir, an, z)
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
      rows.map((r) => r.direction),
      rows.map((r) => r.annulledAt),
      rows.map((r) => r.zone),
    ],
  );
  return new Set(inserted.map((r) => r.client_scan_id));
}

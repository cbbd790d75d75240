import type { TicketClaims } from '@ticketgate/crypto';
import { admission, verdictMessage, type ScanResult, type sync } from '@ticketgate/protocol';
import type { AppContext } from '../../context.js';
import type { Queryable } from '../../db/pool.js';
import { ONE_ADMISSION_PER_SEAT, retryOnUniqueViolation } from '../../db/unique-retry.js';
import { admissionRules } from '../sync/admission-policy.js';
import { asMovement, canonicalAdmissions, seatMovements } from '../sync/admissions.js';

export interface ScanVerdict {
  result: ScanResult;
  message: string;
  /** The rule's reason (admission.AdmissionReason), as logged with the scan. */
  reason: admission.AdmissionReason;
  seat?: { id: string; eventId: string; rowLabel: string; seatNumber: number; ownerName: string | null };
  /** DUPLICATE: when (and at which gate, if a gate) the ticket was first admitted. */
  firstAdmission?: { at: Date; by: string | null };
  /** WRONG_HALL: where the ticket belongs. */
  correctHall?: string;
  /** WRONG_ZONE: a zone the ticket may enter. */
  correctZone?: string;
}

interface ScanRow {
  staffUserId: string;
  hallId: string;
  claims: TicketClaims | null;
  result: ScanResult;
  reason: string | null;
  at: Date;
  direction: sync.Direction;
  /** The zone the staff member stands at, as they said. */
  zone: string | null;
  reEntry: boolean;
}

interface SeatForScan {
  id: string;
  event_id: string;
  status: 'AVAILABLE' | 'HELD' | 'SOLD' | 'CHECKED_IN';
  generation: number;
  row_label: string;
  seat_number: number;
  checked_in_at: Date | null;
  owner_name: string | null;
  category: string;
}

/**
 * The online check for a staff member: the shared admission rule
 * (admission.decideAdmission) with an authoritative view, since the server holds
 * every key and each seat's current state. Every scan is written to `scans` with
 * the staff id, whatever the verdict.
 *
 * Admission is atomic: the seat row is locked while the verdict is decided, so
 * of two staff scanning one ticket at once exactly one gets SUCCESS and the other
 * DUPLICATE with the first one's time. A gate upload that admitted the seat
 * without that lock trips the one-admission index instead, and the scan is decided again.
 */
export async function verifyTicket(
  ctx: AppContext,
  input: { staffUserId: string; hallId: string; text: string; direction?: sync.Direction; zone?: string | null },
): Promise<ScanVerdict> {
  const at = new Date(ctx.now());
  const credential = await ctx.keys.verify(input.text, at.getTime());
  const scan = {
    staffUserId: input.staffUserId,
    hallId: input.hallId,
    at,
    claims: credential.status === 'invalid' ? null : credential.claims,
    direction: input.direction ?? 'entry',
    zone: input.zone ?? null,
  };
  return retryOnUniqueViolation(ctx.pool, ONE_ADMISSION_PER_SEAT, (db) => decideAndRecord(db, scan, credential));
}

async function decideAndRecord(
  db: Queryable,
  scan: Omit<ScanRow, 'result' | 'reason' | 'reEntry'>,
  credential: admission.CredentialCheck,
): Promise<ScanVerdict> {
  const { claims } = scan;
  const found = claims ? await lockSeat(db, claims.seatId) : undefined;
  const seat = found && claims && found.event_id === claims.eventId ? found : undefined;
  const prior = seat ? await priorAdmission(db, seat) : null;
  const eventKnown = claims ? seat !== undefined || (await eventExists(db, claims.eventId)) : false;
  const rules = seat ? (await admissionRules(db, [seat.event_id])).get(seat.event_id) : undefined;
  const history = seat ? (await seatMovements(db, [seat.id])).map(asMovement) : [];

  const v = admission.decideAdmission({
    credential,
    eventKnown,
    seat: seat
      ? {
          eventId: seat.event_id,
          status: seat.status,
          generation: seat.generation,
          checkedInAt: seat.checked_in_at?.getTime() ?? null,
          category: seat.category,
        }
      : null,
    prior,
    view: { hallId: scan.hallId, authoritative: true, deviceId: null, zone: scan.zone },
    direction: scan.direction,
    at: scan.at.getTime(),
    ...(rules ? { rules } : {}),
    history,
  });

  // A re-entry (or a new day) is counted but is not THE admission: the seat keeps its first one.
  const reEntry = v.result === 'SUCCESS' && (v.reason === 're_entry' || v.reason === 'new_day');
  if (v.result === 'SUCCESS' && !reEntry)
    await db.query(`UPDATE seats SET status = 'CHECKED_IN', checked_in_at = $2 WHERE id = $1`, [seat!.id, scan.at]);
  await recordScan(db, {
    ...scan,
    result: v.result,
    reason: v.result === 'SUCCESS' ? (reEntry ? v.reason : null) : logReason(v, credential),
    reEntry,
  });

  const firstAdmission = v.firstAdmission ? { at: new Date(v.firstAdmission.at), by: v.firstAdmission.by } : undefined;
  const message = verdictMessage(v.result, {
    ...(firstAdmission ? { firstAdmittedAt: firstAdmission.at, ...(firstAdmission.by ? { firstAdmittedBy: firstAdmission.by } : {}) } : {}),
    ...(v.correctHall ? { correctHall: v.correctHall } : {}),
    ...(v.correctZone ? { correctZone: v.correctZone } : {}),
    reEntry,
  });
  return {
    result: v.result,
    message,
    reason: v.reason,
    ...(seat && admission.judgedSeat(v) ? { seat: describe(seat) } : {}),
    ...(firstAdmission ? { firstAdmission } : {}),
    ...(v.correctHall ? { correctHall: v.correctHall } : {}),
    ...(v.correctZone ? { correctZone: v.correctZone } : {}),
  };
}

/** What the entry log says besides the verdict: the rule's reason, with the verifier's word or the code's age where it helps. */
function logReason(v: admission.AdmissionVerdict, credential: admission.CredentialCheck): string {
  if (v.detail) return `${v.reason}: ${v.detail}`;
  if (v.correctHall) return `${v.reason}: ticket for ${v.correctHall}`;
  if (v.correctZone) return `${v.reason}: ticket for zone ${v.correctZone}`;
  if (credential.status !== 'invalid' && credential.status !== 'valid') return `${v.reason}: age ${credential.ageSeconds}s`;
  return v.reason;
}

async function lockSeat(db: Queryable, seatId: string): Promise<SeatForScan | undefined> {
  const { rows } = await db.query<SeatForScan>(
    `SELECT s.id, s.event_id, s.status, s.generation, s.row_label, s.seat_number, s.checked_in_at, s.category, u.display_name AS owner_name
       FROM seats s LEFT JOIN users u ON u.id = s.owner_user_id
      WHERE s.id = $1
      FOR UPDATE OF s`,
    [seatId],
  );
  return rows[0];
}

async function eventExists(db: Queryable, eventId: string): Promise<boolean> {
  const { rows } = await db.query('SELECT 1 FROM events WHERE id = $1', [eventId]);
  return rows.length > 0;
}

/** The seat's canonical admission (staff or any gate's upload, as elected in admissions.ts). */
async function priorAdmission(db: Queryable, seat: SeatForScan): Promise<admission.PriorAdmission | null> {
  const a = (await canonicalAdmissions(db, [seat.id])).get(seat.id);
  if (a) return { at: Date.parse(a.scanned_at), by: a.device_id === null ? null : a.admitted_by, deviceId: a.device_id };
  return null;
}

/** One entry-log row. Seat and event ids are kept only when they exist (a forged id must not break the insert). */
async function recordScan(db: Queryable, s: ScanRow): Promise<void> {
  await db.query(
    `INSERT INTO scans (staff_user_id, hall_id, event_id, seat_id, generation, result, reason, scanned_at, received_at, direction, zone, re_entry)
     VALUES ($1, $2, (SELECT id FROM events WHERE id = $3), (SELECT id FROM seats WHERE id = $4), $5, $6, $7, $8, $8, $9, $10, $11)`,
    [
      s.staffUserId,
      s.hallId,
      s.claims?.eventId ?? null,
      s.claims?.seatId ?? null,
      s.claims?.generation ?? null,
      s.result,
      s.reason,
      s.at,
      s.direction,
      s.zone,
      s.reEntry,
    ],
  );
}

function describe(seat: SeatForScan): NonNullable<ScanVerdict['seat']> {
  return { id: seat.id, eventId: seat.event_id, rowLabel: seat.row_label, seatNumber: seat.seat_number, ownerName: seat.owner_name };
}

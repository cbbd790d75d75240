import type { TicketClaims } from '@ticketgate/crypto';
import { verdictMessage, type ScanResult } from '@ticketgate/protocol';
import type { AppContext } from '../../context.js';
import { withTransaction, type Queryable } from '../../db/pool.js';

export interface ScanVerdict {
  result: ScanResult;
  message: string;
  seat?: { id: string; eventId: string; rowLabel: string; seatNumber: number; ownerName: string | null };
  /** DUPLICATE: when (and at which gate, if a gate) the ticket was first admitted. */
  firstAdmission?: { at: Date; by: string | null };
  /** WRONG_HALL: where the ticket belongs. */
  correctHall?: string;
}

interface ScanRow {
  staffUserId: string;
  hallId: string;
  claims?: TicketClaims;
  result: ScanResult;
  reason?: string;
  at: Date;
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
}

const ADMISSION_TAKEN = 'scans_one_admission_per_seat';

/**
 * The online check (POST /api/verify) for a staff member, in the verdict order of
 * docs/gate.md (the gates decide the same way offline): invalid → QR_INVALID,
 * other hall → WRONG_HALL, stale → EXPIRED, unknown seat or superseded
 * generation → NOT_FOUND, HELD → UNPAID, already admitted → DUPLICATE, else
 * SUCCESS. Every scan is written to `scans` with the staff id, whatever the verdict.
 *
 * Admission is atomic: the seat row is locked while the verdict is decided, so
 * of two staff scanning one ticket at once exactly one gets SUCCESS and the other
 * DUPLICATE with the first one's time. A gate upload that admitted the seat
 * without that lock trips the one-admission index instead, and the scan is decided again.
 */
export async function verifyTicket(ctx: AppContext, input: { staffUserId: string; hallId: string; text: string }): Promise<ScanVerdict> {
  const at = new Date(ctx.now());
  const scan = { staffUserId: input.staffUserId, hallId: input.hallId, at };
  const outcome = await ctx.keys.verify(input.text, at.getTime());
  if (outcome.status === 'invalid') {
    await recordScan(ctx.pool, { ...scan, result: 'QR_INVALID', reason: outcome.reason });
    return { result: 'QR_INVALID', message: verdictMessage('QR_INVALID') };
  }
  const claims = outcome.claims;
  if (claims.hallCode !== input.hallId) {
    await recordScan(ctx.pool, { ...scan, claims, result: 'WRONG_HALL', reason: `ticket for ${claims.hallCode}` });
    return { result: 'WRONG_HALL', message: verdictMessage('WRONG_HALL', { correctHall: claims.hallCode }), correctHall: claims.hallCode };
  }
  if (outcome.status !== 'valid') {
    await recordScan(ctx.pool, { ...scan, claims, result: 'EXPIRED', reason: `${outcome.status}, age ${outcome.ageSeconds}s` });
    return { result: 'EXPIRED', message: verdictMessage('EXPIRED') };
  }
  for (let attempt = 0; ; attempt++) {
    try {
      return await withTransaction(ctx.pool, (db) => decideAdmission(db, { ...scan, claims }));
    } catch (err) {
      const e = err as { code?: string; constraint?: string };
      if (e.code === '23505' && e.constraint === ADMISSION_TAKEN && attempt === 0) continue;
      throw err;
    }
  }
}

async function decideAdmission(db: Queryable, scan: Omit<ScanRow, 'result'> & { claims: TicketClaims }): Promise<ScanVerdict> {
  const { claims } = scan;
  const { rows } = await db.query<SeatForScan>(
    `SELECT s.id, s.event_id, s.status, s.generation, s.row_label, s.seat_number, s.checked_in_at, u.display_name AS owner_name
       FROM seats s LEFT JOIN users u ON u.id = s.owner_user_id
      WHERE s.id = $1
      FOR UPDATE OF s`,
    [claims.seatId],
  );
  const found = rows[0];
  const seat = found && found.event_id === claims.eventId ? found : undefined;
  const reject = async (result: ScanResult, reason: string, extra: Partial<ScanVerdict> = {}): Promise<ScanVerdict> => {
    await recordScan(db, { ...scan, result, reason });
    return { result, message: verdictMessage(result), ...(seat ? { seat: describe(seat) } : {}), ...extra };
  };

  if (!seat) return reject('NOT_FOUND', 'unknown seat');
  if (claims.generation !== seat.generation) return reject('NOT_FOUND', `generation ${claims.generation}, seat is at ${seat.generation}`);
  if (seat.status === 'HELD') return reject('UNPAID', 'seat held, not paid');
  if (seat.status === 'AVAILABLE') return reject('NOT_FOUND', 'seat not sold');

  const first = await firstAdmission(db, seat.id);
  if (first || seat.status === 'CHECKED_IN') {
    const admission = first ?? { at: seat.checked_in_at!, by: null };
    const message = verdictMessage('DUPLICATE', { firstAdmittedAt: admission.at, ...(admission.by ? { firstAdmittedBy: admission.by } : {}) });
    await recordScan(db, { ...scan, result: 'DUPLICATE', reason: `first admitted ${admission.at.toISOString()}` });
    return { result: 'DUPLICATE', message, seat: describe(seat), firstAdmission: admission };
  }

  await db.query(`UPDATE seats SET status = 'CHECKED_IN', checked_in_at = $2 WHERE id = $1`, [seat.id, scan.at]);
  await recordScan(db, { ...scan, result: 'SUCCESS' });
  return { result: 'SUCCESS', message: verdictMessage('SUCCESS'), seat: describe(seat) };
}

/** The canonical admission of a seat, from staff or from any gate's upload. */
async function firstAdmission(db: Queryable, seatId: string): Promise<{ at: Date; by: string | null } | null> {
  const { rows } = await db.query<{ scanned_at: Date; device_name: string | null }>(
    `SELECT sc.scanned_at, d.name AS device_name
       FROM scans sc LEFT JOIN devices d ON d.id = sc.device_id
      WHERE sc.seat_id = $1 AND sc.result = 'SUCCESS' AND NOT sc.is_conflict
      ORDER BY sc.scanned_at LIMIT 1`,
    [seatId],
  );
  const r = rows[0];
  return r ? { at: r.scanned_at, by: r.device_name } : null;
}

/** One entry-log row. Seat and event ids are kept only when they exist (a forged id must not break the insert). */
async function recordScan(db: Queryable, s: ScanRow): Promise<void> {
  await db.query(
    `INSERT INTO scans (staff_user_id, hall_id, event_id, seat_id, generation, result, reason, scanned_at, received_at)
     VALUES ($1, $2, (SELECT id FROM events WHERE id = $3), (SELECT id FROM seats WHERE id = $4), $5, $6, $7, $8, $8)`,
    [s.staffUserId, s.hallId, s.claims?.eventId ?? null, s.claims?.seatId ?? null, s.claims?.generation ?? null, s.result, s.reason ?? null, s.at],
  );
}

function describe(seat: SeatForScan): NonNullable<ScanVerdict['seat']> {
  return { id: seat.id, eventId: seat.event_id, rowLabel: seat.row_label, seatNumber: seat.seat_number, ownerName: seat.owner_name };
}

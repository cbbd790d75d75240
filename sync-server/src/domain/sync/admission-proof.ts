import { admission, type sync } from '@ticketgate/protocol';
import type { AppContext } from '../../context.js';
import type { Queryable } from '../../db/pool.js';
import { KeysAsOf } from '../keys/keys-as-of.js';

/**
 * Reads what the proof of each uploaded admission is judged on — the seat's
 * sales and transfers, its event's admission window, the credential verified
 * at the scan time with the keys valid then — and lets the shared rule
 * (admission.judgeUploadedAdmission) decide. Called inside the upload's
 * transaction, after the seats are locked, so the history cannot move meanwhile.
 */
export interface AdmissionToProve {
  scan: sync.UploadedScan;
  /** Epoch ms, as uploaded (not clamped: the proof is checked at the time the gate says it scanned). */
  at: number;
  /** The seat as the server has it, null when unknown. */
  seat: { eventId: string; hallId: string } | null;
}

type ProofContext = Pick<AppContext, 'config'>;

export async function proveAdmissions(
  db: Queryable,
  ctx: ProofContext,
  device: { hallId: string },
  version: number,
  items: AdmissionToProve[],
): Promise<Map<string, admission.ProofVerdict>> {
  const out = new Map<string, admission.ProofVerdict>();
  if (items.length === 0) return out;
  const seatIds = [...new Set(items.filter((i) => i.seat).map((i) => i.scan.seat_id!))];
  const eventIds = [...new Set(items.flatMap((i) => (i.seat ? [i.seat.eventId] : [])))];
  // One after the other: they share the upload's transaction, and a client runs one query at a time.
  const holdings = await seatHoldings(db, seatIds);
  const windows = await admissionWindows(db, ctx, eventIds);
  const keys = await KeysAsOf.load(
    db,
    ctx.config.MASTER_KEY,
    { skewSeconds: ctx.config.QR_CLOCK_SKEW_SECONDS, overlapSeconds: ctx.config.KEY_ROTATION_OVERLAP_SECONDS },
    eventIds,
  );
  for (const { scan, at, seat } of items) {
    // Version 1 of the upload carries no proofs: its admissions are refused as such, not judged.
    const text = version >= 2 ? (scan.credential ?? null) : null;
    const window = seat ? windows.get(seat.eventId) : undefined;
    out.set(
      scan.client_scan_id,
      admission.judgeUploadedAdmission({
        upload: { seatId: scan.seat_id!, eventId: scan.event_id, generation: scan.generation, at },
        credential: text === null ? null : keys.verify(text, at),
        deviceHall: device.hallId,
        seat,
        holdings: holdings.get(scan.seat_id!) ?? [],
        // An unknown seat is refused before the window is looked at.
        window: window ?? { opensAt: null, closesAt: Number.POSITIVE_INFINITY, skewMs: 0 },
      }),
    );
  }
  return out;
}

async function seatHoldings(db: Queryable, seatIds: string[]): Promise<Map<string, admission.SeatHolding[]>> {
  const out = new Map<string, admission.SeatHolding[]>();
  if (seatIds.length === 0) return out;
  const { rows } = await db.query<{ seat_id: string; generation: number; valid_from: Date; valid_until: Date | null }>(
    'SELECT seat_id, generation, valid_from, valid_until FROM seat_generations WHERE seat_id = ANY($1::uuid[]) ORDER BY seat_id, valid_from, id',
    [seatIds],
  );
  for (const r of rows) {
    const list = out.get(r.seat_id) ?? [];
    list.push({ generation: r.generation, from: r.valid_from.getTime(), until: r.valid_until?.getTime() ?? null });
    out.set(r.seat_id, list);
  }
  return out;
}

/** Each event's window: its own ends where set, else from the sale until event_date + ADMISSION_CLOSE_AFTER_HOURS. */
async function admissionWindows(db: Queryable, ctx: ProofContext, eventIds: string[]): Promise<Map<string, admission.AdmissionWindow>> {
  if (eventIds.length === 0) return new Map();
  const { rows } = await db.query<{ id: string; opens_at: Date | null; closes_at: Date; skew_seconds: number }>(
    `SELECT id, admission_opens_at AS opens_at,
            COALESCE(admission_closes_at, event_date + make_interval(hours => $2)) AS closes_at,
            COALESCE(admission_skew_seconds, $3) AS skew_seconds
       FROM events WHERE id = ANY($1::uuid[])`,
    [eventIds, ctx.config.ADMISSION_CLOSE_AFTER_HOURS, ctx.config.ADMISSION_SKEW_SECONDS],
  );
  return new Map(
    rows.map((r) => [r.id, { opensAt: r.opens_at?.getTime() ?? null, closesAt: r.closes_at.getTime(), skewMs: r.skew_seconds * 1000 }]),
  );
}

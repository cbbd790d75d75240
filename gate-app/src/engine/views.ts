// process: engine
import type { kiosk, sync } from '@ticketgate/protocol';
import type { SeatRow } from './store/catalog-repo.js';
import type { ScanVerdict } from './verify/scan-desk.js';

/** Times live as epoch ms in the store and travel as ISO 8601 UTC. */
export const iso = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : new Date(ms).toISOString());

/** A verdict as the kiosk UI and the local API show it (kiosk.VerdictReply of @ticketgate/protocol). */
export function verdictView(v: ScanVerdict, hallNames: (code: string) => sync.HallName | undefined): kiosk.VerdictReply {
  const correct = v.correctHall ? hallNames(v.correctHall) : undefined;
  return {
    result: v.result,
    message: v.message,
    reason: v.reason,
    scan_id: v.clientScanId,
    scanned_at: new Date(v.scannedAt).toISOString(),
    seat_id: v.seat?.seat_id ?? v.claims?.seatId ?? null,
    row: v.seat?.row_label ?? null,
    number: v.seat?.seat_number ?? null,
    category: v.seat?.category ?? null,
    holder: v.seat?.holder_name ?? null,
    event_id: v.event?.event_id ?? v.claims?.eventId ?? null,
    event_name: v.event?.name ?? null,
    generation: v.claims?.generation ?? null,
    correct_hall: v.correctHall,
    correct_hall_name: correct?.hall_name ?? null,
    correct_venue_name: correct?.venue_name ?? null,
    first_admitted_at: iso(v.firstAdmission?.at),
    first_admitted_by: v.firstAdmission?.by ?? null,
    direction: v.direction,
    correct_zone: v.correctZone,
    re_entry: v.reEntry,
  };
}

export function seatView(s: SeatRow): kiosk.SeatReply {
  return {
    seat_id: s.seat_id,
    event_id: s.event_id,
    row: s.row_label,
    number: s.seat_number,
    category: s.category,
    status: s.status,
    generation: s.generation,
    holder: s.holder_name,
    admitted: s.admitted_at !== null,
    admitted_at: iso(s.admitted_at),
    admitted_by: s.admitted_by,
    admitted_source: s.admitted_source,
  };
}

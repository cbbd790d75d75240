import type { TicketClaims, VerifyOutcome } from '@ticketgate/crypto';
import { verdictMessage, type ScanResult } from '@ticketgate/protocol';
import type { EventRow, SeatRow } from '../store/catalog-repo.js';

export interface Decision {
  result: ScanResult;
  /** Machine-readable detail (verifier reason, `revoked_generation`, …); null when the result says it all. */
  reason: string | null;
  message: string;
  claims: TicketClaims | null;
  seat: SeatRow | null;
  event: EventRow | null;
  firstAdmission: { at: number; by: string } | null;
  correctHall: string | null;
}

export interface Snapshot {
  hallId: string;
  seat(seatId: string): SeatRow | undefined;
  event(eventId: string): EventRow | undefined;
  /** Display zone of admission times in messages. */
  timeZone?: string;
}

/**
 * The verdict order of docs/gate.md, first match wins:
 * undecodable/tampered → QR_INVALID; other hall → WRONG_HALL (naming it);
 * stale → EXPIRED; unknown seat → NOT_FOUND; generation older than the
 * snapshot's → NOT_FOUND (revoked); HELD → UNPAID; already admitted → DUPLICATE
 * (first admission's time and gate); SOLD → SUCCESS.
 *
 * Pure: reads the snapshot, writes nothing. The caller records the scan and
 * the admission in the same transaction.
 */
export function decide(outcome: VerifyOutcome, snap: Snapshot): Decision {
  const base = { claims: null, seat: null, event: null, firstAdmission: null, correctHall: null };
  const verdict = (result: ScanResult, reason: string | null, extra: Partial<Decision> = {}): Decision => {
    const d = { ...base, ...extra, result, reason };
    const message = verdictMessage(result, {
      ...(d.firstAdmission ? { firstAdmittedAt: d.firstAdmission.at, firstAdmittedBy: d.firstAdmission.by } : {}),
      ...(d.correctHall ? { correctHall: d.correctHall } : {}),
      ...(snap.timeZone ? { timeZone: snap.timeZone } : {}),
    });
    return { ...d, message };
  };

  if (outcome.status === 'invalid') {
    // Without the key the hall code is an unauthenticated hint, but sending a
    // fan to the hall printed on their ticket is the useful answer either way.
    if (outcome.reason === 'unknown_key_id' && outcome.hallCode && outcome.hallCode !== snap.hallId) {
      return verdict('WRONG_HALL', outcome.reason, { correctHall: outcome.hallCode });
    }
    return verdict('QR_INVALID', outcome.reason);
  }

  const claims = outcome.claims;
  if (claims.hallCode !== snap.hallId) return verdict('WRONG_HALL', null, { claims, correctHall: claims.hallCode });
  if (outcome.status === 'expired') return verdict('EXPIRED', `expired (${Math.round(outcome.ageSeconds)} s old)`, { claims });
  if (outcome.status === 'not_yet_valid') return verdict('EXPIRED', `not yet valid (${Math.round(-outcome.ageSeconds)} s ahead)`, { claims });

  const event = snap.event(claims.eventId) ?? null;
  if (!event) return verdict('NOT_FOUND', 'unknown_event', { claims });
  const seat = snap.seat(claims.seatId) ?? null;
  if (!seat || seat.event_id !== claims.eventId) return verdict('NOT_FOUND', 'unknown_seat', { claims, event });
  const found = { claims, event, seat };
  // A transfer or reissue bumped the generation: this is the previous holder's code.
  if (claims.generation < seat.generation) return verdict('NOT_FOUND', 'revoked_generation', found);
  if (seat.status === 'HELD') return verdict('UNPAID', null, found);
  if (seat.admitted_at !== null) {
    return verdict('DUPLICATE', seat.admitted_source === 'local' ? 'admitted_here' : 'admitted_elsewhere', {
      ...found,
      firstAdmission: { at: seat.admitted_at, by: seat.admitted_by ?? 'another gate' },
    });
  }
  if (seat.status === 'CHECKED_IN') return verdict('DUPLICATE', 'checked_in', found);
  if (seat.status === 'SOLD') {
    return verdict('SUCCESS', claims.generation > seat.generation ? 'generation_ahead_of_snapshot' : null, found);
  }
  // AVAILABLE: a signed code for a seat the snapshot says nobody owns (released,
  // or sold after our last sync). Refusing is the safe side; the status page
  // shows how fresh the snapshot is.
  return verdict('NOT_FOUND', 'seat_not_sold', found);
}

// process: engine
import type { TicketClaims, VerifyOutcome } from '@ticketgate/crypto';
import { admission, verdictMessage, type ScanResult } from '@ticketgate/protocol';
import type { EventRow, SeatRow } from '../store/catalog-repo.js';

export interface Decision {
  result: ScanResult;
  /** The step of the admission rule that decided. */
  rule: admission.AdmissionReason;
  /** Machine-readable detail (the rule's reason, or the verifier's for a QR_INVALID); null for a plain SUCCESS. */
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
  /** This gate's device id: tells its own earlier admissions from other gates'. */
  deviceId: string | null;
  seat(seatId: string): SeatRow | undefined;
  event(eventId: string): EventRow | undefined;
  /** Display zone of admission times in messages. */
  timeZone?: string;
}

/**
 * The gate's verdict: the shared admission rule (decideAdmission of
 * @ticketgate/protocol) applied to this gate's snapshot, with a
 * non-authoritative view, because the snapshot may lag the server (docs/gate.md,
 * "Where a gate decides otherwise").
 *
 * Pure: reads the snapshot, writes nothing. The caller records the scan and
 * the admission in the same transaction.
 */
export function decide(outcome: VerifyOutcome, snap: Snapshot): Decision {
  const claims = outcome.status === 'invalid' ? null : outcome.claims;
  const event = claims ? (snap.event(claims.eventId) ?? null) : null;
  const found = claims ? snap.seat(claims.seatId) : undefined;
  const seat = found && claims && found.event_id === claims.eventId ? found : null;
  const prior: admission.PriorAdmission | null =
    seat && seat.admitted_at !== null
      ? { at: seat.admitted_at, by: seat.admitted_by, deviceId: seat.admitted_source === 'local' ? snap.deviceId : seat.admitted_device }
      : null;

  const v = admission.decideAdmission({
    credential: outcome,
    eventKnown: event !== null,
    seat: seat && { eventId: seat.event_id, status: seat.status, generation: seat.generation },
    prior,
    view: { hallId: snap.hallId, authoritative: false, deviceId: snap.deviceId },
  });

  const firstAdmission = v.firstAdmission ? { at: v.firstAdmission.at, by: v.firstAdmission.by ?? 'another gate' } : null;
  const message = verdictMessage(v.result, {
    ...(firstAdmission ? { firstAdmittedAt: firstAdmission.at, firstAdmittedBy: firstAdmission.by } : {}),
    ...(v.correctHall ? { correctHall: v.correctHall } : {}),
    ...(snap.timeZone ? { timeZone: snap.timeZone } : {}),
  });
  // The seat and event are shown only once the rule got as far as looking at them.
  const judged = admission.judgedSeat(v);
  return {
    result: v.result,
    rule: v.reason,
    reason: gateReason(v, outcome),
    message,
    claims,
    seat: judged ? seat : null,
    event: judged || v.reason === 'unknown_seat' ? event : null,
    firstAdmission,
    correctHall: v.correctHall ?? null,
  };
}

/** The reason a gate logs and uploads: the verifier's own word for a refused code, with the age of a stale one. */
function gateReason(v: admission.AdmissionVerdict, outcome: VerifyOutcome): string | null {
  if (v.detail) return v.detail;
  if (v.reason === 'admitted' || v.reason === 'other_hall') return null;
  if (outcome.status === 'expired') return `expired (${Math.round(outcome.ageSeconds)} s old)`;
  if (outcome.status === 'not_yet_valid') return `not yet valid (${Math.round(-outcome.ageSeconds)} s ahead)`;
  return v.reason;
}

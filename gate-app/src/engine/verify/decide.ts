// process: engine
import type { TicketClaims, VerifyOutcome } from '@ticketgate/crypto';
import { admission, sync, verdictMessage, type ScanResult } from '@ticketgate/protocol';
import type { EventRow, SeatRow } from '../store/catalog-repo.js';
import type { LocalMovement } from '../store/scan-repo.js';

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
  direction: sync.Direction;
  /** The zone this gate stands at under the event's policy. */
  zone: string | null;
  /** WRONG_ZONE: a zone the ticket may enter. */
  correctZone: string | null;
  /** SUCCESS of a later entry (re-entry, new day): the seat keeps its first admission. */
  reEntry: boolean;
}

export interface Snapshot {
  hallId: string;
  /** This gate's device id: tells its own earlier admissions from other gates'. */
  deviceId: string | null;
  seat(seatId: string): SeatRow | undefined;
  event(eventId: string): EventRow | undefined;
  /** This gate's own not annulled admissions and exits of a seat. */
  movements(seatId: string): LocalMovement[];
  /** Admissions and exits of the seat at the hall's other gates, as the mesh told this gate (annulled ones left out). */
  peerMovements(seatId: string): admission.Movement[];
  /** Display zone of admission times in messages. */
  timeZone?: string;
}

/** The event's rules from the policy the signed manifest carried (single entry without one). */
export function rulesOf(event: EventRow | null): admission.AdmissionRules {
  return event?.policy ? admission.toRules(sync.AdmissionPolicy.parse(JSON.parse(event.policy))) : admission.SINGLE_ENTRY;
}

/**
 * What this gate knows of a seat's movements: its own, its peers' (the mesh's
 * admissions and exits), and the canonical admission the server told it of
 * when another device made it — unless a peer's record already is that entry.
 */
function historyOf(seat: SeatRow, snap: Snapshot): admission.Movement[] {
  const own = snap
    .movements(seat.seat_id)
    .map((m) => ({ direction: m.direction, at: m.at, deviceId: snap.deviceId, scanId: m.client_scan_id }));
  const peers = snap.peerMovements(seat.seat_id);
  const heard = (at: number, deviceId: string | null) =>
    peers.some((m) => m.direction === 'entry' && m.at === at && m.deviceId === deviceId);
  const learned =
    seat.admitted_at !== null &&
    seat.admitted_source === 'server' &&
    seat.admitted_device !== snap.deviceId &&
    !heard(seat.admitted_at, seat.admitted_device)
      ? [{ direction: 'entry' as const, at: seat.admitted_at, deviceId: seat.admitted_device, scanId: '' }]
      : [];
  return [...learned, ...peers, ...own];
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
export function decide(outcome: VerifyOutcome, snap: Snapshot, scan: { at: number; direction: sync.Direction }): Decision {
  const claims = outcome.status === 'invalid' ? null : outcome.claims;
  const event = claims ? (snap.event(claims.eventId) ?? null) : null;
  const found = claims ? snap.seat(claims.seatId) : undefined;
  const seat = found && claims && found.event_id === claims.eventId ? found : null;
  const prior: admission.PriorAdmission | null =
    seat && seat.admitted_at !== null
      ? { at: seat.admitted_at, by: seat.admitted_by, deviceId: seat.admitted_source === 'local' ? snap.deviceId : seat.admitted_device }
      : null;

  const rules = rulesOf(event);
  const zone = admission.zoneOfDevice(rules, snap.deviceId);
  const v = admission.decideAdmission({
    credential: outcome,
    eventKnown: event !== null,
    seat: seat && { eventId: seat.event_id, status: seat.status, generation: seat.generation, category: seat.category },
    prior,
    view: { hallId: snap.hallId, authoritative: false, deviceId: snap.deviceId, zone },
    direction: scan.direction,
    at: scan.at,
    rules,
    history: seat ? historyOf(seat, snap) : [],
  });
  const reEntry = v.result === 'SUCCESS' && (v.reason === 're_entry' || v.reason === 'new_day');

  const firstAdmission = v.firstAdmission ? { at: v.firstAdmission.at, by: v.firstAdmission.by ?? 'another gate' } : null;
  const message = verdictMessage(v.result, {
    ...(firstAdmission ? { firstAdmittedAt: firstAdmission.at, firstAdmittedBy: firstAdmission.by } : {}),
    ...(v.correctHall ? { correctHall: v.correctHall } : {}),
    ...(v.correctZone ? { correctZone: v.correctZone } : {}),
    ...(snap.timeZone ? { timeZone: snap.timeZone } : {}),
    reEntry,
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
    direction: scan.direction,
    zone,
    correctZone: v.correctZone ?? null,
    reEntry,
  };
}

/** The reason a gate logs and uploads: the verifier's own word for a refused code, with the age of a stale one. */
function gateReason(v: admission.AdmissionVerdict, outcome: VerifyOutcome): string | null {
  if (v.detail) return v.detail;
  if (v.reason === 'admitted' || v.reason === 'other_hall' || v.reason === 'exited') return null;
  if (outcome.status === 'expired') return `expired (${Math.round(outcome.ageSeconds)} s old)`;
  if (outcome.status === 'not_yet_valid') return `not yet valid (${Math.round(-outcome.ageSeconds)} s ahead)`;
  return v.reason;
}

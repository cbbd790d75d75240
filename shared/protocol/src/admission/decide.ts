import type { SeatStatus } from '../sync.js';
import type { ScanResult } from '../verdicts.js';
import {
  electMovements,
  mayEnterAgain,
  SINGLE_ENTRY,
  utcDay,
  zonesOfCategory,
  type AdmissionRules,
  type Direction,
  type Movement,
  type MovementState,
} from './policy.js';

/**
 * THE admission rule: one pure function, used by a gate deciding from its
 * snapshot and by the server's online /api/verify; canonicalOf (below) is the
 * election among admissions that gates uploaded. Platform-free (no Node, no
 * database): callers read their state, call decideAdmission, then record the verdict.
 *
 * The rule is an ordered list of steps (ADMISSION_STEPS); the first step that
 * returns a verdict wins. A new rule (entry/exit, re-entry, zones, doors-open,
 * device-bound passes) is a new step inserted at its place in the list, with
 * new conformance vectors beside it (vectors.ts).
 *
 * Exits and the event's admission policy (policy.ts) are such steps: an exit is
 * judged once the seat is known to be sold; zone, doors-open and last-entry
 * times come before "admitted before", which lets a ticket in again only when
 * the policy allows it (re-entry after an exit, a new day) and entries are left.
 */

/** What the credential verifier said: the shape of `VerifyOutcome` of @ticketgate/crypto, restated so this package stays dependency-free. */
export type CredentialCheck =
  | { status: 'valid' | 'expired' | 'not_yet_valid'; claims: AdmissionClaims; ageSeconds: number }
  /** hallCode only comes with unknown_key_id: an unauthenticated hint read from the clear header. */
  | { status: 'invalid'; reason: string; hallCode?: string };

export interface AdmissionClaims {
  seatId: string;
  eventId: string;
  hallCode: string;
  generation: number;
}

/** The seat named by the claims, as the caller knows it; null when it does not know the seat. */
export interface AdmissionSeat {
  eventId: string;
  status: SeatStatus;
  generation: number;
  /** When the seat was checked in, if the caller knows it (epoch ms): a DUPLICATE without a known admitter still names the time. */
  checkedInAt?: number | null;
  /** Ticket category: which zones it may enter (AdmissionRules.zones). */
  category?: string;
}

/** The canonical (first) admission of the seat: earliest scan time wins, ties broken by device id. */
export interface PriorAdmission {
  /** Epoch ms. */
  at: number;
  /** Gate name or "online (staff)"; null when unknown. */
  by: string | null;
  /** Admitting device; null for online staff. */
  deviceId: string | null;
}

/**
 * How much the caller's state can be trusted. The server is authoritative: it
 * holds every key, every seat's current generation and status. A gate decides
 * from a snapshot that may lag the server (a transfer or a sale since the last
 * sync) and only holds the keys of its own hall's events.
 */
export interface AdmissionView {
  /** The hall where the scan happens. */
  hallId: string;
  authoritative: boolean;
  /** The caller's own device id (null for online staff): tells "admitted here" from "admitted elsewhere". */
  deviceId: string | null;
  /** The zone this gate (or staff member) stands at; null or absent: no zone (every category enters). */
  zone?: string | null;
}

export interface AdmissionInput {
  credential: CredentialCheck;
  /** The claims' event is known to the caller. */
  eventKnown: boolean;
  seat: AdmissionSeat | null;
  prior: PriorAdmission | null;
  view: AdmissionView;
  /** Entry (the default) or exit. */
  direction?: Direction;
  /** Scan time (epoch ms): needed by the policy's times and days; without it they are not applied. */
  at?: number;
  /** The event's admission policy; absent: SINGLE_ENTRY (today's behaviour). */
  rules?: AdmissionRules;
  /**
   * The seat's known, not annulled movements before this scan (the prior
   * admission among them, if the caller has it as a movement). Absent: the
   * caller knows only `prior` / a CHECKED_IN status, read as one entry, inside.
   */
  history?: readonly Movement[];
}

/** Machine-readable reasons; a verdict's reason names the step that decided it. */
export type AdmissionReason =
  | 'invalid_credential'
  | 'other_hall'
  | 'other_hall_unverified'
  | 'expired'
  | 'not_yet_valid'
  | 'unknown_event'
  | 'unknown_seat'
  | 'revoked_generation'
  | 'generation_unknown'
  | 'seat_held'
  | 'seat_not_sold'
  | 'admitted_here'
  | 'admitted_elsewhere'
  | 'checked_in'
  | 'admitted'
  | 'generation_ahead_of_snapshot'
  // The admission policy and directions:
  | 'other_zone'
  | 'exited'
  | 'not_inside'
  | 'doors_not_open'
  | 'entry_closed'
  | 'entry_limit'
  /** SUCCESS after an exit (re-entry policy). */
  | 're_entry'
  /** SUCCESS on a later day of a per-day event. */
  | 'new_day';

export interface AdmissionVerdict {
  result: ScanResult;
  reason: AdmissionReason;
  /** The verifier's own reason of a QR_INVALID (or of an unverified WRONG_HALL), e.g. `decryption_failed`. */
  detail?: string;
  /** WRONG_HALL: where the ticket belongs. */
  correctHall?: string;
  /** WRONG_ZONE: a zone the ticket may enter. */
  correctZone?: string;
  /** DUPLICATE: the first admission. */
  firstAdmission?: PriorAdmission;
}

/** One step of the rule: a verdict, or null to let the next step decide. */
export interface AdmissionStep {
  name: string;
  decide(input: AdmissionInput): AdmissionVerdict | null;
}

type Verified = AdmissionInput & { credential: Extract<CredentialCheck, { claims: AdmissionClaims }> };
type Found = Verified & { seat: AdmissionSeat };

const claimsOf = (i: AdmissionInput) => (i.credential.status === 'invalid' ? null : i.credential.claims);

/** Each step after `verified` sees a decoded credential; after `seat known` a seat. */
function verified(name: string, decide: (i: Verified) => AdmissionVerdict | null): AdmissionStep {
  return { name, decide: (i) => (i.credential.status === 'invalid' ? null : decide(i as Verified)) };
}
function found(name: string, decide: (i: Found) => AdmissionVerdict | null): AdmissionStep {
  return verified(name, (i) => (i.seat ? decide(i as Found) : null));
}

export const ADMISSION_STEPS: readonly AdmissionStep[] = [
  {
    name: 'credential must verify',
    decide: ({ credential: c, view }) => {
      if (c.status !== 'invalid') return null;
      // A gate holds only its own hall's keys: an unknown key with another hall in
      // the clear header most likely belongs there, and sending the fan to the
      // printed hall is the useful answer. The server holds every key, so for it
      // an unknown key is simply not a TicketGate ticket.
      if (!view.authoritative && c.reason === 'unknown_key_id' && c.hallCode && c.hallCode !== view.hallId) {
        return { result: 'WRONG_HALL', reason: 'other_hall_unverified', detail: c.reason, correctHall: c.hallCode };
      }
      return { result: 'QR_INVALID', reason: 'invalid_credential', detail: c.reason };
    },
  },
  verified('ticket of this hall', ({ credential: { claims }, view }) =>
    claims.hallCode === view.hallId ? null : { result: 'WRONG_HALL', reason: 'other_hall', correctHall: claims.hallCode },
  ),
  verified('credential is fresh', ({ credential: c }) =>
    c.status === 'valid' ? null : { result: 'EXPIRED', reason: c.status === 'expired' ? 'expired' : 'not_yet_valid' },
  ),
  verified('event is known', (i) => (i.eventKnown ? null : { result: 'NOT_FOUND', reason: 'unknown_event' })),
  verified('seat is known', ({ seat, credential: { claims } }) =>
    seat && seat.eventId === claims.eventId ? null : { result: 'NOT_FOUND', reason: 'unknown_seat' },
  ),
  found('current generation', ({ seat, credential: { claims }, view }) => {
    // A transfer or reissue bumped the generation: this is the previous holder's code.
    if (claims.generation < seat.generation) return { result: 'NOT_FOUND', reason: 'revoked_generation' };
    // Newer than the seat: on the server that cannot be a code it issued; on a
    // gate it is a transfer the snapshot has not seen yet (decided on below).
    if (claims.generation > seat.generation && view.authoritative) return { result: 'NOT_FOUND', reason: 'generation_unknown' };
    return null;
  }),
  found('seat is paid', ({ seat }) => (seat.status === 'HELD' ? { result: 'UNPAID', reason: 'seat_held' } : null)),
  // AVAILABLE: a signed code for a seat nobody owns (released, or — on a gate — sold
  // after its last sync). Refusing is the safe side; the gate's status page shows
  // how fresh its snapshot is.
  found('seat is sold', ({ seat }) => (seat.status === 'AVAILABLE' ? { result: 'NOT_FOUND', reason: 'seat_not_sold' } : null)),
  found('exit', (i) => {
    if (directionOf(i) !== 'exit') return null;
    return movementState(i).inside ? { result: 'EXITED', reason: 'exited' } : { result: 'NOT_INSIDE', reason: 'not_inside' };
  }),
  found('right zone', ({ seat, rules = SINGLE_ENTRY, view }) => {
    const allowed = seat.category === undefined ? [] : zonesOfCategory(rules, seat.category);
    if (!view.zone || allowed.length === 0 || allowed.includes(view.zone)) return null;
    return { result: 'WRONG_ZONE', reason: 'other_zone', correctZone: allowed[0]! };
  }),
  found('doors are open', ({ rules = SINGLE_ENTRY, at }) =>
    at !== undefined && rules.doorsOpenAt !== null && at < rules.doorsOpenAt ? { result: 'NOT_YET_OPEN', reason: 'doors_not_open' } : null,
  ),
  found('entry not closed', ({ rules = SINGLE_ENTRY, at }) =>
    at !== undefined && rules.lastEntryAt !== null && at > rules.lastEntryAt ? { result: 'ENTRY_CLOSED', reason: 'entry_closed' } : null,
  ),
  found('entries left', (i) => {
    const state = movementState(i);
    if (state.entries === 0 || mayEnterAgain(i.rules ?? SINGLE_ENTRY, state, i.at ?? state.lastEntryAt ?? 0) !== 'limit') return null;
    return { result: 'ENTRY_LIMIT', reason: 'entry_limit', ...(i.prior ? { firstAdmission: i.prior } : {}) };
  }),
  found('not admitted before', (i) => {
    const { seat, prior, view } = i;
    // Re-entry after an exit, or a new day of a per-day event: the policy lets the ticket in again.
    const state = movementState(i);
    if (state.entries > 0 && mayEnterAgain(i.rules ?? SINGLE_ENTRY, state, i.at ?? state.lastEntryAt ?? 0) === 'yes') return null;
    if (prior) {
      const here = prior.deviceId === view.deviceId;
      return { result: 'DUPLICATE', reason: here ? 'admitted_here' : 'admitted_elsewhere', firstAdmission: prior };
    }
    if (seat.status !== 'CHECKED_IN') return null;
    return seat.checkedInAt == null
      ? { result: 'DUPLICATE', reason: 'checked_in' }
      : { result: 'DUPLICATE', reason: 'checked_in', firstAdmission: { at: seat.checkedInAt, by: null, deviceId: null } };
  }),
  found('admit', (i) => {
    const state = movementState(i);
    if (state.entries > 0) {
      const newDay = i.rules?.perDay && state.lastEntryAt !== null && i.at !== undefined && utcDay(i.at) !== utcDay(state.lastEntryAt);
      return { result: 'SUCCESS', reason: newDay ? 'new_day' : 're_entry' };
    }
    return { result: 'SUCCESS', reason: i.credential.claims.generation > i.seat.generation ? 'generation_ahead_of_snapshot' : 'admitted' };
  }),
];

const directionOf = (i: AdmissionInput): Direction => i.direction ?? 'entry';

/**
 * Where the seat stands: the walk over its known movements (electMovements,
 * the elections' own walk), or — for a caller that knows only the first
 * admission or a CHECKED_IN status — one entry, still inside.
 */
function movementState(i: Found): MovementState {
  const walked = i.history ? electMovements(i.history, i.rules ?? SINGLE_ENTRY, compareAdmissions).state : null;
  if (walked && walked.entries > 0) return walked;
  const firstAt = i.prior?.at ?? (i.seat.status === 'CHECKED_IN' ? (i.seat.checkedInAt ?? null) : null);
  if (i.prior || i.seat.status === 'CHECKED_IN') return { entries: 1, inside: true, lastEntryAt: firstAt };
  return { entries: 0, inside: false, lastEntryAt: null };
}

/** Reasons decided before the rule looks at the seat: such verdicts describe no seat (a forged or misdirected code learns nothing about it). */
const BEFORE_SEAT: ReadonlySet<AdmissionReason> = new Set<AdmissionReason>([
  'invalid_credential',
  'other_hall_unverified',
  'other_hall',
  'expired',
  'not_yet_valid',
  'unknown_event',
  'unknown_seat',
]);

/** True when the verdict was reached by judging the seat, so a caller may describe the seat with it. */
export function judgedSeat(v: Pick<AdmissionVerdict, 'reason'>): boolean {
  return !BEFORE_SEAT.has(v.reason);
}

/** The verdict of the first step that has one. */
export function decideAdmission(input: AdmissionInput, steps: readonly AdmissionStep[] = ADMISSION_STEPS): AdmissionVerdict {
  for (const step of steps) {
    const verdict = step.decide(input);
    if (verdict) return verdict;
  }
  // Unreachable with ADMISSION_STEPS: every input reaches a verdict by `admit`.
  throw new Error(`no admission step decided (claims: ${JSON.stringify(claimsOf(input))})`);
}

/**
 * The canonical admission among several: earliest scan time wins, ties go to
 * online staff (no device), then the lower device id, then the lower scan id.
 * The server's election (SQL ORDER BY in admissions.ts) sorts the same way;
 * the conformance test holds them together.
 */
export function canonicalOf<T extends { at: number; deviceId: string | null; scanId: string }>(admissions: readonly T[]): T | null {
  let best: T | null = null;
  for (const a of admissions) if (!best || compareAdmissions(a, best) < 0) best = a;
  return best;
}

export function compareAdmissions(
  a: { at: number; deviceId: string | null; scanId: string },
  b: { at: number; deviceId: string | null; scanId: string },
): number {
  if (a.at !== b.at) return a.at - b.at;
  if (a.deviceId !== b.deviceId) return a.deviceId === null ? -1 : b.deviceId === null ? 1 : a.deviceId < b.deviceId ? -1 : 1;
  return a.scanId < b.scanId ? -1 : a.scanId > b.scanId ? 1 : 0;
}

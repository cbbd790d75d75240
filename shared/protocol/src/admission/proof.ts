import { decideAdmission, type AdmissionReason, type CredentialCheck } from './decide.js';
import type { AdmissionRules } from './policy.js';

/**
 * Whether an admission a gate uploaded is proven, so the server may let it
 * check a seat in. A gate decides offline and nobody watches it, so its word
 * alone must never change a seat: the upload carries the credential that was
 * scanned, and the server replays the admission rule (decideAdmission, with an
 * authoritative view) on the seat **as it was at the scan time**. Pure, like the
 * rule: the server reads the seat's history, the event's window and the
 * credential's verification at the scan time (with the keys valid then), and
 * records what this returns.
 */

/** Why an uploaded SUCCESS was not believed; stored with the rejected upload and counted per reason. */
export type UploadRejection =
  /** No credential came with the admission (an upload format before proofs, or a gate that made it up). */
  | 'no_proof'
  /** The credential does not verify with the server's keys valid at the scan time: forged, tampered, or a retired key past its window. */
  | 'proof_invalid'
  /** The credential names another seat, event or generation than the upload. */
  | 'proof_mismatch'
  /** The credential was not fresh at the claimed scan time: the scan time is not when it was shown. */
  | 'proof_not_fresh'
  | 'unknown_seat'
  /** The seat (or event) is not in the uploading device's hall. */
  | 'other_hall'
  /** The scan time lies before the ticket was sold. */
  | 'before_sale'
  /** Nobody held the seat at the scan time. */
  | 'not_sold'
  /** The seat had another generation at the scan time (the code was replaced by a transfer or reissue). */
  | 'generation_not_current'
  /** The scan time lies outside the event's admission window. */
  | 'outside_admission_window'
  /** The upload's scan time is not a date. */
  | 'bad_scan_time';

/** Every rejection code, for counters (the server's `/metrics` label values). */
export const UPLOAD_REJECTIONS: readonly UploadRejection[] = [
  'no_proof',
  'proof_invalid',
  'proof_mismatch',
  'proof_not_fresh',
  'unknown_seat',
  'other_hall',
  'before_sale',
  'not_sold',
  'generation_not_current',
  'outside_admission_window',
  'bad_scan_time',
];

/** The admission as the gate uploaded it. */
export interface UploadedAdmission {
  seatId: string;
  eventId: string | null;
  generation: number | null;
  /** Scan time (epoch ms), as the gate corrected it. */
  at: number;
}

/** One period in which the seat was sold at a generation: from the sale (or transfer, reissue) until the next change (null: still). */
export interface SeatHolding {
  generation: number;
  from: number;
  until: number | null;
}

/** When the event admits (epoch ms): from `opensAt` (null: from the sale) until `closesAt`, each end widened by `skewMs`. */
export interface AdmissionWindow {
  opensAt: number | null;
  closesAt: number;
  skewMs: number;
}

export interface ProofInput {
  upload: UploadedAdmission;
  /** The uploaded credential verified at `upload.at` with the keys valid then; null when the upload carried none. */
  credential: CredentialCheck | null;
  /** The hall of the uploading device. */
  deviceHall: string;
  /** The seat the upload names, with its event's hall; null when the server has no such seat. */
  seat: { eventId: string; hallId: string } | null;
  /** The seat's sales, transfers and reissues. */
  holdings: readonly SeatHolding[];
  window: AdmissionWindow;
  /** The event's admission policy: an admission before its doors opened or after its last entry is not believed either. */
  rules?: AdmissionRules;
}

export type ProofVerdict = { accepted: true } | { accepted: false; reason: UploadRejection; detail?: string };

const reject = (reason: UploadRejection, detail?: string): ProofVerdict => ({ accepted: false, reason, ...(detail ? { detail } : {}) });

/** The seat's holding at a time: of those covering it (skew-widened ends), the one with the wanted generation if any. */
export function holdingAt(holdings: readonly SeatHolding[], at: number, skewMs: number, generation: number): SeatHolding | null {
  const covering = holdings.filter((h) => h.from - skewMs <= at && (h.until === null || at <= h.until + skewMs));
  return covering.find((h) => h.generation === generation) ?? covering.at(-1) ?? null;
}

/** How the admission rule's refusals of a replayed admission read as upload rejections. */
const FROM_RULE: Partial<Record<AdmissionReason, UploadRejection>> = {
  invalid_credential: 'proof_invalid',
  other_hall: 'other_hall',
  other_hall_unverified: 'other_hall',
  expired: 'proof_not_fresh',
  not_yet_valid: 'proof_not_fresh',
  unknown_event: 'proof_mismatch',
  unknown_seat: 'proof_mismatch',
  revoked_generation: 'generation_not_current',
  generation_unknown: 'generation_not_current',
  seat_held: 'not_sold',
  seat_not_sold: 'not_sold',
  doors_not_open: 'outside_admission_window',
  entry_closed: 'outside_admission_window',
};

export function judgeUploadedAdmission(input: ProofInput): ProofVerdict {
  const { upload, credential, seat, window } = input;
  if (!credential) return reject('no_proof');
  if (!seat) return reject('unknown_seat');
  if (seat.hallId !== input.deviceHall) return reject('other_hall', `seat is in hall ${seat.hallId}`);
  if (credential.status === 'invalid') return reject('proof_invalid', credential.reason);
  const { claims } = credential;
  if (claims.seatId !== upload.seatId || claims.eventId !== seat.eventId || (upload.eventId !== null && upload.eventId !== seat.eventId)) {
    return reject('proof_mismatch', 'the credential names another seat or event');
  }
  if (upload.generation !== null && upload.generation !== claims.generation)
    return reject('proof_mismatch', 'the credential names another generation');
  if ((window.opensAt !== null && upload.at < window.opensAt - window.skewMs) || upload.at > window.closesAt + window.skewMs) {
    return reject('outside_admission_window');
  }

  // The rule itself, on the seat as it was when the code was scanned: sold (or not) at that generation, never admitted
  // (which admission of a seat counts is the election's job, not the proof's).
  const held = holdingAt(input.holdings, upload.at, window.skewMs, claims.generation);
  const verdict = decideAdmission({
    credential,
    eventKnown: true,
    seat: { eventId: seat.eventId, status: held ? 'SOLD' : 'AVAILABLE', generation: held?.generation ?? claims.generation },
    prior: null,
    view: { hallId: input.deviceHall, authoritative: true, deviceId: null },
    at: upload.at,
    ...(input.rules ? { rules: widened(input.rules, window.skewMs) } : {}),
  });
  if (verdict.result === 'SUCCESS') return { accepted: true };
  const reason = FROM_RULE[verdict.reason] ?? 'proof_invalid';
  if (reason === 'not_sold' && input.holdings.some((h) => h.from - window.skewMs > upload.at)) return reject('before_sale');
  return reject(reason, verdict.detail ?? verdict.reason);
}

/** The policy's times widened by the clock skew a gate is allowed, like the admission window's ends. */
function widened(rules: AdmissionRules, skewMs: number): AdmissionRules {
  return {
    ...rules,
    doorsOpenAt: rules.doorsOpenAt === null ? null : rules.doorsOpenAt - skewMs,
    lastEntryAt: rules.lastEntryAt === null ? null : rules.lastEntryAt + skewMs,
  };
}

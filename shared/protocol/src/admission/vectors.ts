import type { SeatStatus } from '../sync.js';
import type { ScanResult } from '../verdicts.js';
import type { AdmissionReason } from './decide.js';
import type { AdmissionPolicyWire, Direction } from './policy.js';

/**
 * Conformance vectors of the admission rule, as data. Each describes a scan in
 * terms every caller can set up in its own store (a gate's SQLite snapshot, the
 * server's PostgreSQL): the test of each caller builds the situation, scans, and
 * compares the verdict. `expect` is the authoritative (server) verdict; `gate`,
 * when present, is where a gate legitimately answers otherwise because its
 * snapshot may lag (the `view.authoritative` parameter of decideAdmission).
 *
 * Known seats sit at generation 2, so a ticket can be older (1) or newer (3).
 */
export interface AdmissionVector {
  name: string;
  credential: 'valid' | 'expired' | 'not_yet_valid' | 'tampered' | 'unknown_key';
  ticketHall: 'this' | 'other';
  /** The claims name an event / a seat the caller does not know. */
  unknown?: 'event' | 'seat';
  seat: SeatStatus;
  generation: 'current' | 'older' | 'newer';
  /** A canonical admission exists: by this caller (same gate, or online staff on the server) or elsewhere. */
  prior: 'none' | 'here' | 'elsewhere';
  expect: { result: ScanResult; reason: AdmissionReason };
  gate?: { result: ScanResult; reason: AdmissionReason };
  /** Why a caller cannot build this situation (the server holds no key for an event it does not know). */
  onlyGate?: string;
  /** The scan's direction (default entry). */
  direction?: Direction;
  /** The event's admission policy (default: none stored, single entry); built per caller by policyFor. */
  policy?: VectorPolicy;
  /**
   * Movements of the same ticket made earlier by this caller, through its own
   * scan path, oldest first: `agoMs` before the vector's scan (each with a code
   * issued then); `annulled`: the caller annuls it right after (no passage).
   */
  history?: readonly { direction: Direction; agoMs: number; annulled?: boolean }[];
}

/** A vector's policy in relative terms: times from the scan, zones relative to the seat's category and the caller. */
export interface VectorPolicy {
  reentry?: boolean;
  maxEntries?: number;
  doorsOpenInMs?: number;
  lastEntryInMs?: number;
  perDay?: boolean;
  /**
   * `ticket_zone_here`: the ticket's category has a zone and the caller stands at it;
   * `ticket_zone_elsewhere`: it has a zone, the caller stands at another;
   * `category_unzoned`: the caller stands at a zone that names other categories only.
   */
  zones?: 'ticket_zone_here' | 'ticket_zone_elsewhere' | 'category_unzoned';
}

/**
 * The wire policy of a vector for one caller (`now`: its clock at the scan;
 * `category`: the seat's; `deviceId`: the caller's gate, null for staff), and
 * the zone the caller stands at (a gate's comes from the policy itself, staff
 * say it with the scan).
 */
export function policyFor(
  v: AdmissionVector,
  now: number,
  category: string,
  deviceId: string | null,
): { policy: AdmissionPolicyWire | null; zone: string | null } {
  const p = v.policy;
  if (!p) return { policy: null, zone: null };
  const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(now + ms).toISOString());
  const here = p.zones === 'ticket_zone_elsewhere' ? 'BALCONY' : 'FLOOR';
  const devices = (zone: string) => (deviceId && zone === here ? [deviceId] : []);
  const zones =
    p.zones === undefined
      ? []
      : [
          { zone: 'FLOOR', categories: p.zones === 'category_unzoned' ? ['NO-SUCH-CATEGORY'] : [category], device_ids: devices('FLOOR') },
          { zone: 'BALCONY', categories: ['NO-SUCH-CATEGORY'], device_ids: devices('BALCONY') },
        ];
  return {
    policy: {
      reentry: p.reentry ?? false,
      max_entries: p.maxEntries ?? null,
      doors_open_at: iso(p.doorsOpenInMs),
      last_entry_at: iso(p.lastEntryInMs),
      per_day: p.perDay ?? false,
      zones,
    },
    zone: p.zones === undefined ? null : here,
  };
}

const MIN = 60_000;
const inside = [{ direction: 'entry', agoMs: 20 * MIN }] as const;
const outAgain = [
  { direction: 'entry', agoMs: 20 * MIN },
  { direction: 'exit', agoMs: 10 * MIN },
] as const;

const base = { credential: 'valid', ticketHall: 'this', seat: 'SOLD', generation: 'current', prior: 'none' } as const;

export const ADMISSION_VECTORS: readonly AdmissionVector[] = [
  { ...base, name: 'sold seat, current generation: admitted', expect: { result: 'SUCCESS', reason: 'admitted' } },
  { ...base, name: 'tampered code', credential: 'tampered', expect: { result: 'QR_INVALID', reason: 'invalid_credential' } },
  { ...base, name: 'unknown key, this hall', credential: 'unknown_key', expect: { result: 'QR_INVALID', reason: 'invalid_credential' } },
  {
    ...base,
    name: 'unknown key, another hall in the header',
    credential: 'unknown_key',
    ticketHall: 'other',
    expect: { result: 'QR_INVALID', reason: 'invalid_credential' },
    // A gate holds only its hall's keys: the printed hall is the likely answer.
    gate: { result: 'WRONG_HALL', reason: 'other_hall_unverified' },
  },
  { ...base, name: 'another hall', ticketHall: 'other', expect: { result: 'WRONG_HALL', reason: 'other_hall' } },
  {
    ...base,
    name: 'another hall, expired: hall first',
    ticketHall: 'other',
    credential: 'expired',
    expect: { result: 'WRONG_HALL', reason: 'other_hall' },
  },
  { ...base, name: 'expired', credential: 'expired', expect: { result: 'EXPIRED', reason: 'expired' } },
  { ...base, name: 'issued in the future', credential: 'not_yet_valid', expect: { result: 'EXPIRED', reason: 'not_yet_valid' } },
  {
    ...base,
    name: 'expired, seat admitted: freshness first',
    credential: 'expired',
    prior: 'elsewhere',
    seat: 'CHECKED_IN',
    expect: { result: 'EXPIRED', reason: 'expired' },
  },
  {
    ...base,
    name: 'unknown event',
    unknown: 'event',
    expect: { result: 'NOT_FOUND', reason: 'unknown_event' },
    onlyGate: 'the server issues gate keys only for its events, so a verifying code always names a known event',
  },
  { ...base, name: 'unknown seat', unknown: 'seat', expect: { result: 'NOT_FOUND', reason: 'unknown_seat' } },
  { ...base, name: 'older generation (transferred)', generation: 'older', expect: { result: 'NOT_FOUND', reason: 'revoked_generation' } },
  {
    ...base,
    name: 'older generation beats HELD',
    generation: 'older',
    seat: 'HELD',
    expect: { result: 'NOT_FOUND', reason: 'revoked_generation' },
  },
  {
    ...base,
    name: 'newer generation than the seat',
    generation: 'newer',
    expect: { result: 'NOT_FOUND', reason: 'generation_unknown' },
    // A transfer after the gate's last sync: the code is signed by the server, the snapshot is behind.
    gate: { result: 'SUCCESS', reason: 'generation_ahead_of_snapshot' },
  },
  { ...base, name: 'held seat', seat: 'HELD', expect: { result: 'UNPAID', reason: 'seat_held' } },
  { ...base, name: 'available seat', seat: 'AVAILABLE', expect: { result: 'NOT_FOUND', reason: 'seat_not_sold' } },
  { ...base, name: 'admitted here before', seat: 'CHECKED_IN', prior: 'here', expect: { result: 'DUPLICATE', reason: 'admitted_here' } },
  {
    ...base,
    name: 'admitted elsewhere before',
    seat: 'CHECKED_IN',
    prior: 'elsewhere',
    expect: { result: 'DUPLICATE', reason: 'admitted_elsewhere' },
  },
  { ...base, name: 'checked in without a known admission', seat: 'CHECKED_IN', expect: { result: 'DUPLICATE', reason: 'checked_in' } },

  // ---- exits and the admission policy --------------------------------------
  { ...base, name: 'exit of a ticket inside', direction: 'exit', history: inside, expect: { result: 'EXITED', reason: 'exited' } },
  { ...base, name: 'exit of a ticket never admitted', direction: 'exit', expect: { result: 'NOT_INSIDE', reason: 'not_inside' } },
  {
    ...base,
    name: 'exit twice: the second is not inside',
    direction: 'exit',
    history: outAgain,
    expect: { result: 'NOT_INSIDE', reason: 'not_inside' },
  },
  {
    ...base,
    name: 'single entry (default): an exit does not allow re-entry',
    history: outAgain,
    expect: { result: 'DUPLICATE', reason: 'admitted_here' },
  },
  {
    ...base,
    name: 're-entry policy: entry, exit, entry passes',
    policy: { reentry: true },
    history: outAgain,
    expect: { result: 'SUCCESS', reason: 're_entry' },
  },
  {
    ...base,
    name: 're-entry policy: entry, entry is DUPLICATE',
    policy: { reentry: true },
    history: inside,
    expect: { result: 'DUPLICATE', reason: 'admitted_here' },
  },
  {
    ...base,
    name: 'maximum entries reached',
    policy: { reentry: true, maxEntries: 2 },
    history: [...outAgain, { direction: 'entry', agoMs: 5 * MIN }, { direction: 'exit', agoMs: 2 * MIN }],
    expect: { result: 'ENTRY_LIMIT', reason: 'entry_limit' },
  },
  {
    ...base,
    name: 'maximum entries not reached',
    policy: { reentry: true, maxEntries: 3 },
    history: [...outAgain, { direction: 'entry', agoMs: 5 * MIN }, { direction: 'exit', agoMs: 2 * MIN }],
    expect: { result: 'SUCCESS', reason: 're_entry' },
  },
  {
    ...base,
    name: 'doors not open yet',
    policy: { doorsOpenInMs: 60 * MIN },
    expect: { result: 'NOT_YET_OPEN', reason: 'doors_not_open' },
  },
  {
    ...base,
    name: 'after the last entry',
    policy: { doorsOpenInMs: -180 * MIN, lastEntryInMs: -60 * MIN },
    history: [],
    expect: { result: 'ENTRY_CLOSED', reason: 'entry_closed' },
  },
  {
    ...base,
    name: 'exit after the last entry is still recorded',
    direction: 'exit',
    policy: { doorsOpenInMs: -180 * MIN, lastEntryInMs: -5 * MIN },
    history: inside,
    expect: { result: 'EXITED', reason: 'exited' },
  },
  {
    ...base,
    name: 'between doors-open and last entry',
    policy: { doorsOpenInMs: -60 * MIN, lastEntryInMs: 60 * MIN },
    expect: { result: 'SUCCESS', reason: 'admitted' },
  },
  {
    ...base,
    name: 'wrong zone',
    policy: { zones: 'ticket_zone_elsewhere' },
    expect: { result: 'WRONG_ZONE', reason: 'other_zone' },
  },
  { ...base, name: 'right zone', policy: { zones: 'ticket_zone_here' }, expect: { result: 'SUCCESS', reason: 'admitted' } },
  {
    ...base,
    name: 'a category without a zone enters at any zone',
    policy: { zones: 'category_unzoned' },
    expect: { result: 'SUCCESS', reason: 'admitted' },
  },
  {
    ...base,
    name: 'per-day: admitted yesterday, again today',
    policy: { perDay: true },
    history: [{ direction: 'entry', agoMs: 24 * 60 * MIN }],
    expect: { result: 'SUCCESS', reason: 'new_day' },
  },
  {
    ...base,
    name: 'per-day: admitted today is DUPLICATE',
    policy: { perDay: true },
    history: [{ direction: 'entry', agoMs: 0.5 * MIN }],
    expect: { result: 'DUPLICATE', reason: 'admitted_here' },
  },
  {
    ...base,
    name: 'an annulled admission does not count',
    history: [{ direction: 'entry', agoMs: 5 * MIN, annulled: true }],
    expect: { result: 'SUCCESS', reason: 'admitted' },
  },
];

/**
 * Vectors of the canonical-admission election: several admissions of one seat
 * (scan time as an offset in ms, device as a letter, null for online staff) and
 * the one that must win. Run against canonicalOf and the server's election.
 */
export interface ElectionVector {
  name: string;
  admissions: { atMs: number; device: 'A' | 'B' | null; direction?: Direction }[];
  winner: number;
  /** Re-entry policy for the event (default single entry). */
  reentry?: boolean;
  /** Indexes of the admissions that must end as conflicts (default: every entry but the winner). */
  conflicts?: number[];
}

export const ELECTION_VECTORS: readonly ElectionVector[] = [
  {
    name: 'earliest scan wins',
    admissions: [
      { atMs: 5000, device: 'A' },
      { atMs: 1000, device: 'B' },
    ],
    winner: 1,
  },
  {
    name: 'earliest wins whatever the arrival order',
    admissions: [
      { atMs: 1000, device: 'A' },
      { atMs: 5000, device: 'B' },
    ],
    winner: 0,
  },
  {
    name: 'same instant: online staff before any gate',
    admissions: [
      { atMs: 2000, device: 'A' },
      { atMs: 2000, device: null },
    ],
    winner: 1,
  },
  {
    name: 'same instant: lower device id',
    admissions: [
      { atMs: 2000, device: 'B' },
      { atMs: 2000, device: 'A' },
    ],
    winner: 1,
  },
  {
    name: 're-entry: entry, exit, entry elsewhere — no conflict, whatever the arrival order',
    reentry: true,
    admissions: [
      { atMs: 9000, device: 'B' },
      { atMs: 1000, device: 'A' },
      { atMs: 5000, device: 'A', direction: 'exit' },
    ],
    winner: 1,
    conflicts: [],
  },
  {
    name: 'single entry: entry, exit, entry elsewhere — the second entry is a conflict',
    admissions: [
      { atMs: 1000, device: 'A' },
      { atMs: 5000, device: 'A', direction: 'exit' },
      { atMs: 9000, device: 'B' },
    ],
    winner: 0,
    conflicts: [2],
  },
  {
    name: 're-entry: two entries without an exit — the later is a conflict',
    reentry: true,
    admissions: [
      { atMs: 3000, device: 'B' },
      { atMs: 1000, device: 'A' },
    ],
    winner: 1,
    conflicts: [0],
  },
];

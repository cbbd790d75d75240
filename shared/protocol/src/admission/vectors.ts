import type { SeatStatus } from '../sync.js';
import type { ScanResult } from '../verdicts.js';
import type { AdmissionReason } from './decide.js';

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
}

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
];

/**
 * Vectors of the canonical-admission election: several admissions of one seat
 * (scan time as an offset in ms, device as a letter, null for online staff) and
 * the one that must win. Run against canonicalOf and the server's election.
 */
export interface ElectionVector {
  name: string;
  admissions: { atMs: number; device: 'A' | 'B' | null }[];
  winner: number;
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
];

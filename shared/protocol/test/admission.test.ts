import { describe, expect, it } from 'vitest';
import { admission } from '../src/index.js';

const { ADMISSION_VECTORS, ELECTION_VECTORS, decideAdmission, canonicalOf } = admission;
type Vector = admission.AdmissionVector;

const HALL = 'HALL-A';
/** Noon UTC: the per-day vectors' "earlier today" stays on the same day. */
const NOW = Date.parse('2026-12-01T12:00:00Z');
const ME = '00000000-0000-4000-8000-00000000000a';
const OTHER = '00000000-0000-4000-8000-00000000000b';

/** A vector as decideAdmission's input, for a caller that is (or is not) authoritative. */
function inputOf(v: Vector, authoritative: boolean): admission.AdmissionInput {
  const claims = {
    seatId: 'seat-1',
    eventId: 'event-1',
    hallCode: v.ticketHall === 'this' ? HALL : 'HALL-Z',
    generation: { older: 1, current: 2, newer: 3 }[v.generation],
  };
  const credential: admission.CredentialCheck =
    v.credential === 'tampered'
      ? { status: 'invalid', reason: 'decryption_failed' }
      : v.credential === 'unknown_key'
        ? { status: 'invalid', reason: 'unknown_key_id', hallCode: claims.hallCode }
        : { status: v.credential, claims, ageSeconds: v.credential === 'expired' ? 600 : v.credential === 'not_yet_valid' ? -120 : 1 };
  const self = authoritative ? null : ME;
  const { policy, zone } = admission.policyFor(v, NOW, 'CAT1', self);
  const rules = admission.toRules(policy);
  // What a caller's store holds after the vector's earlier movements: its not annulled ones, the first entry as THE admission.
  const history = (v.history ?? [])
    .filter((h) => !h.annulled)
    .map((h, i) => ({ direction: h.direction, at: NOW - h.agoMs, deviceId: self, scanId: `h-${i}` }));
  const firstEntry = history.find((h) => h.direction === 'entry');
  const prior =
    v.prior !== 'none'
      ? { at: 1_000, by: v.prior === 'here' ? 'me' : 'Gate North', deviceId: v.prior === 'here' ? self : OTHER }
      : firstEntry
        ? { at: firstEntry.at, by: 'me', deviceId: self }
        : null;
  const status = firstEntry && v.seat === 'SOLD' ? 'CHECKED_IN' : v.seat;
  return {
    credential,
    eventKnown: v.unknown !== 'event',
    seat: v.unknown ? null : { eventId: 'event-1', status, generation: 2, category: 'CAT1' },
    prior,
    view: { hallId: HALL, authoritative, deviceId: self, zone: authoritative ? zone : admission.zoneOfDevice(rules, self) },
    direction: v.direction ?? 'entry',
    at: NOW,
    rules,
    history,
  };
}

describe('the admission rule against its conformance vectors', () => {
  it.each(ADMISSION_VECTORS.map((v) => [v.name, v] as const))('authoritative: %s', (_, v) => {
    expect(decideAdmission(inputOf(v, true))).toMatchObject(v.expect);
  });
  it.each(ADMISSION_VECTORS.map((v) => [v.name, v] as const))('gate snapshot: %s', (_, v) => {
    expect(decideAdmission(inputOf(v, false))).toMatchObject(v.gate ?? v.expect);
  });

  it('names the verifier reason and the halls it used', () => {
    const wrong = decideAdmission(inputOf({ ...ADMISSION_VECTORS[3]! }, false));
    expect(wrong).toEqual({ result: 'WRONG_HALL', reason: 'other_hall_unverified', detail: 'unknown_key_id', correctHall: 'HALL-Z' });
    const dup = decideAdmission(
      inputOf(
        ADMISSION_VECTORS.find((v) => v.prior === 'elsewhere' && v.credential === 'valid')!,
        true,
      ),
    );
    expect(dup.firstAdmission).toEqual({ at: 1_000, by: 'Gate North', deviceId: OTHER });
  });

  it('is an ordered list of steps a caller can extend', () => {
    const closed: admission.AdmissionStep = { name: 'doors open', decide: () => ({ result: 'EXPIRED', reason: 'expired' }) };
    const steps = [...admission.ADMISSION_STEPS];
    steps.splice(steps.length - 1, 0, closed);
    const v = ADMISSION_VECTORS[0]!;
    expect(decideAdmission(inputOf(v, true), steps).result).toBe('EXPIRED');
    expect(decideAdmission(inputOf(v, true)).result).toBe('SUCCESS');
  });
});

describe('the canonical admission against the election vectors', () => {
  it.each(ELECTION_VECTORS.map((v) => [v.name, v] as const))('%s', (_, v) => {
    const rows = v.admissions.map((a, i) => ({
      direction: a.direction ?? ('entry' as const),
      at: a.atMs,
      deviceId: a.device && (a.device === 'A' ? ME : OTHER),
      scanId: `scan-${i}`,
      i,
    }));
    expect(canonicalOf(rows.filter((r) => r.direction === 'entry'))?.i).toBe(v.winner);
    const rules = { ...admission.SINGLE_ENTRY, reentry: v.reentry ?? false };
    const elected = admission.electMovements(rows, rules, admission.compareAdmissions);
    expect(elected.canonical?.i).toBe(v.winner);
    const wanted = v.conflicts ?? rows.filter((r) => r.direction === 'entry' && r.i !== v.winner).map((r) => r.i);
    expect(elected.conflicts.map((c) => c.i).sort()).toEqual([...wanted].sort());
  });
});

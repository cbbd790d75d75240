// The proof of an uploaded admission (admission.judgeUploadedAdmission), as a pure
// function: one case per refusal, and the edges of the seat's history and the window.
// The server's use of it on PostgreSQL is sync-server/test/sync-admission-proof.test.ts.
import { describe, expect, it } from 'vitest';
import { admission } from '../src/index.js';

const { judgeUploadedAdmission, holdingAt } = admission;
const MIN = 60_000;
const AT = Date.parse('2026-06-15T19:30:00Z');
const claims = { seatId: 'seat-1', eventId: 'event-1', hallCode: 'HALL-A', generation: 2 };

function input(over: Partial<admission.ProofInput> = {}): admission.ProofInput {
  return {
    upload: { seatId: 'seat-1', eventId: 'event-1', generation: 2, at: AT },
    credential: { status: 'valid', claims, ageSeconds: 5 },
    deviceHall: 'HALL-A',
    seat: { eventId: 'event-1', hallId: 'HALL-A' },
    // Sold at generation 1 a week ago, transferred (generation 2) yesterday.
    holdings: [
      { generation: 1, from: AT - 7 * 24 * 60 * MIN, until: AT - 24 * 60 * MIN },
      { generation: 2, from: AT - 24 * 60 * MIN, until: null },
    ],
    window: { opensAt: null, closesAt: AT + 12 * 60 * MIN, skewMs: MIN },
    ...over,
  };
}
const reason = (i: admission.ProofInput) => {
  const v = judgeUploadedAdmission(i);
  return v.accepted ? 'accepted' : v.reason;
};

describe('the proof of an uploaded admission', () => {
  it('accepts a fresh credential of the seat held at that generation, inside the window', () => {
    expect(judgeUploadedAdmission(input())).toEqual({ accepted: true });
  });

  it('refuses each missing piece with its own reason', () => {
    expect(reason(input({ credential: null }))).toBe('no_proof');
    expect(reason(input({ seat: null }))).toBe('unknown_seat');
    expect(reason(input({ seat: { eventId: 'event-1', hallId: 'HALL-B' } }))).toBe('other_hall');
    expect(reason(input({ credential: { status: 'invalid', reason: 'signature_failed' } }))).toBe('proof_invalid');
    expect(judgeUploadedAdmission(input({ credential: { status: 'invalid', reason: 'signature_failed' } }))).toMatchObject({
      detail: 'signature_failed',
    });
    expect(reason(input({ credential: { status: 'valid', claims: { ...claims, seatId: 'seat-2' }, ageSeconds: 5 } }))).toBe(
      'proof_mismatch',
    );
    expect(reason(input({ credential: { status: 'valid', claims: { ...claims, eventId: 'event-2' }, ageSeconds: 5 } }))).toBe(
      'proof_mismatch',
    );
    expect(reason(input({ upload: { seatId: 'seat-1', eventId: 'event-1', generation: 1, at: AT } }))).toBe('proof_mismatch');
    expect(reason(input({ credential: { status: 'valid', claims: { ...claims, hallCode: 'HALL-B' }, ageSeconds: 5 } }))).toBe('other_hall');
    expect(reason(input({ credential: { status: 'expired', claims, ageSeconds: 3600 } }))).toBe('proof_not_fresh');
    expect(reason(input({ credential: { status: 'not_yet_valid', claims, ageSeconds: -60 } }))).toBe('proof_not_fresh');
  });

  it('judges the seat as it was at the scan time: sale, generation, transfer', () => {
    // The old holder's code after the transfer; the same code while it was current.
    const gen1 = { status: 'valid' as const, claims: { ...claims, generation: 1 }, ageSeconds: 5 };
    expect(reason(input({ credential: gen1, upload: { seatId: 'seat-1', eventId: 'event-1', generation: 1, at: AT } }))).toBe(
      'generation_not_current',
    );
    expect(
      reason(input({ credential: gen1, upload: { seatId: 'seat-1', eventId: 'event-1', generation: 1, at: AT - 2 * 24 * 60 * MIN } })),
    ).toBe('accepted');
    // A generation the seat never had.
    const gen5 = { status: 'valid' as const, claims: { ...claims, generation: 5 }, ageSeconds: 5 };
    expect(reason(input({ credential: gen5, upload: { seatId: 'seat-1', eventId: 'event-1', generation: 5, at: AT } }))).toBe(
      'generation_not_current',
    );
    // Before the first sale, and a seat nobody ever held.
    expect(reason(input({ upload: { seatId: 'seat-1', eventId: 'event-1', generation: 2, at: AT - 8 * 24 * 60 * MIN } }))).toBe(
      'before_sale',
    );
    expect(reason(input({ holdings: [] }))).toBe('not_sold');
    // Released after a sale (no holding covers the time, but one began earlier): not before the sale, just not sold.
    expect(reason(input({ holdings: [{ generation: 2, from: AT - 60 * MIN, until: AT - 30 * MIN }] }))).toBe('not_sold');
  });

  it('widens the sale and the window by the skew, no further', () => {
    const sale = AT - 10 * MIN;
    const holdings = [{ generation: 2, from: sale, until: null }];
    const at = (t: number) => ({ seatId: 'seat-1', eventId: 'event-1', generation: 2, at: t });
    expect(reason(input({ holdings, upload: at(sale - MIN) }))).toBe('accepted');
    expect(reason(input({ holdings, upload: at(sale - MIN - 1) }))).toBe('before_sale');
    const window = { opensAt: AT - 5 * MIN, closesAt: AT + 5 * MIN, skewMs: MIN };
    expect(reason(input({ window, upload: at(AT - 6 * MIN) }))).toBe('accepted');
    expect(reason(input({ window, upload: at(AT - 6 * MIN - 1) }))).toBe('outside_admission_window');
    expect(reason(input({ window, upload: at(AT + 6 * MIN) }))).toBe('accepted');
    expect(reason(input({ window, upload: at(AT + 6 * MIN + 1) }))).toBe('outside_admission_window');
  });

  it('at a transfer boundary inside the skew, takes the holding with the credential generation', () => {
    const boundary = AT;
    const holdings = [
      { generation: 1, from: AT - 60 * MIN, until: boundary },
      { generation: 2, from: boundary, until: null },
    ];
    expect(holdingAt(holdings, boundary + 1000, MIN, 1)?.generation).toBe(1);
    expect(holdingAt(holdings, boundary + 1000, MIN, 2)?.generation).toBe(2);
    expect(holdingAt(holdings, boundary + 2 * MIN, MIN, 1)?.generation).toBe(2);
    expect(holdingAt(holdings, AT - 2 * 60 * MIN, MIN, 1)).toBeNull();
  });
});

// The fan app's pure parts, in Node: seat layout and live statuses, routing,
// the plain event filter, and a message for every API error code.
import { ERROR_CODES } from '@ticketgate/protocol';
import { ApiError } from '@ticketgate/ui/api';
import { ERROR_TEXTS, errorText } from '@ticketgate/ui/errors';
import { clock, money } from '@ticketgate/ui/time';
import { describe, expect, it } from 'vitest';
import { filterEvents } from '../src/events-cache.js';
import { match } from '../src/router.js';
import { applySeatChanges, layoutSeats } from '../src/seat-layout.js';
import type { EventSummary, Seat } from '@ticketgate/ui/api';

const seat = (row: string, n: number, status: Seat['status'] = 'AVAILABLE'): Seat => ({
  seat_id: `${row}${n}`,
  row_number: row,
  seat_number: n,
  status,
  category: row < 'C' ? 'CAT1' : 'CAT2',
  price: 10,
});

describe('seat layout', () => {
  const seats = ['A', 'B', 'C'].flatMap((r) => [1, 2, 3, 5].map((n) => seat(r, n)));
  const l = layoutSeats(seats);

  it('puts each row on a line and each seat number in its column, gaps kept', () => {
    expect(l.rows).toEqual(['A', 'B', 'C']);
    expect([l.width, l.height]).toEqual([5, 3]);
    expect(l.at(1, 4)).toBe(seats.findIndex((s) => s.seat_id === 'B5'));
    expect(l.at(1, 3)).toBe(-1); // no seat 4
    expect(l.at(3, 0)).toBe(-1);
    expect(l.categories).toEqual(['CAT1', 'CAT2']);
  });

  it('applies seat changes by id, and refuses a delta that does not fit the map', () => {
    const m = layoutSeats(seats.map((x) => ({ ...x })));
    const d = (full: boolean, changes: [string, Seat['status']][]) => ({
      event_id: 'e',
      since: 1,
      cursor: 2,
      full,
      seats: changes.map(([seat_id, status]) => ({ seat_id, status })),
    });
    expect(
      applySeatChanges(
        m,
        d(false, [
          ['A2', 'HELD'],
          ['B5', 'SOLD'],
        ]),
      ),
    ).toBe(true);
    expect(m.seats.filter((x) => x.status !== 'AVAILABLE').map((x) => `${x.seat_id} ${x.status}`)).toEqual(['A2 HELD', 'B5 SOLD']);
    expect(applySeatChanges(m, d(false, [['Z9', 'SOLD']]))).toBe(false); // a seat added since the map was loaded
    expect(applySeatChanges(m, d(true, [['A1', 'SOLD']]))).toBe(false); // a full listing of another size
  });
});

describe('router', () => {
  it('matches paths with parameters and nothing else', () => {
    expect(match('/', '/')).toEqual({});
    expect(match('/events/:id', '/events/abc')).toEqual({ id: 'abc' });
    expect(match('/events/:id', '/events/abc/')).toEqual({ id: 'abc' });
    expect(match('/tickets/:id/transfer', '/tickets/x')).toBeNull();
    expect(match('/tickets', '/')).toBeNull();
  });
});

describe('event filter', () => {
  const ev = (name: string, venue: string): EventSummary => ({
    event_id: name,
    name,
    venue: { venue_id: venue, name: venue },
    hall_id: 'HALL-A',
    event_date: '2026-12-31T12:00:00Z',
    total_seats: 1,
    available_seats: 1,
    pricing_tiers: {},
  });
  const events = [ev('Arena Night', 'Stadium'), ev('Chamber Evening', 'Esplanade')];
  it('keeps events with every word of the query in name, venue, hall or date, ignoring case', () => {
    expect(filterEvents(events, 'arena').map((e) => e.name)).toEqual(['Arena Night']);
    expect(filterEvents(events, 'evening esplanade').map((e) => e.name)).toEqual(['Chamber Evening']);
    expect(filterEvents(events, 'arena esplanade')).toEqual([]);
    expect(filterEvents(events, '  ')).toHaveLength(2);
  });
});

describe('error texts', () => {
  it('has a sentence for every error code of the API', () => {
    for (const code of Object.keys(ERROR_CODES)) expect(ERROR_TEXTS[code], code).toMatch(/\w+.*\./);
  });
  it('adds the specifics the server gave where they help', () => {
    expect(errorText(new ApiError('OTP_INVALID', 'OTP code is incorrect. 2 attempts left.', 401))).toContain('2 attempts left');
    expect(errorText(new ApiError('VALIDATION_ERROR', 'x', 400, [{ field: 'body.phone', message: 'must be E.164' }]))).toContain(
      'Phone: must be E.164.',
    );
    expect(errorText(new ApiError('SEAT_UNAVAILABLE', 'internal detail', 409))).not.toContain('internal detail');
    expect(errorText(new Error('boom'))).toBe(ERROR_TEXTS.INTERNAL_ERROR);
  });
});

describe('time and money words', () => {
  it('formats countdowns and credits', () => {
    expect(clock(299.2)).toBe('5:00');
    expect(clock(-3)).toBe('0:00');
    expect(money(1234.5)).toBe('S$1,234.50');
    expect(money(-3)).toBe('−S$3.00');
  });
});

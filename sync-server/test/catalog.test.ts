import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expandSeatBlocks, seatsToBlocks } from '../src/domain/catalog/seat-layout.js';
import { DEMO, createTestApp, demoUser, type TestApp } from './helpers/app.js';
import { latestChange } from './helpers/db.js';

const DAY = 24 * 3600 * 1000;
const UNKNOWN = '7b1f0c1e-3c44-4d6c-9a51-2f0d2b3c4d5e';

describe('operator catalog endpoints', () => {
  let t: TestApp;
  let operator: string;
  let admin: string;
  let fan: string;
  let staff: string;
  const call = (method: 'GET' | 'POST', url: string, token: string | undefined, payload?: object | string, contentType?: string) =>
    t.app.inject({
      method,
      url,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(contentType ? { 'content-type': contentType } : {}) },
      ...(payload !== undefined ? { payload } : {}),
    });
  const post = (url: string, payload: object, token = operator) => call('POST', url, token, payload);
  const csv = (eventId: string, text: string, token = operator) =>
    call('POST', `/api/ops/events/${eventId}/seats/import`, token, text, 'text/csv');
  const seq = (eventId: string) => latestChange(t.ctx.pool, eventId);
  const positions = async (eventId: string) =>
    (await t.ctx.pool.query('SELECT count(DISTINCT seq)::int AS n FROM seats WHERE event_id = $1', [eventId])).rows[0].n as number;
  const seatCount = async (eventId: string) =>
    (await t.ctx.pool.query('SELECT count(*)::int AS n FROM seats WHERE event_id = $1', [eventId])).rows[0].n as number;

  let venueId: string;
  let otherVenueId: string;
  const future = () => new Date(Date.now() + 20 * DAY).toISOString();
  const newEvent = async (tiers: Record<string, number> = { CAT1: 350, CAT2: 200.5 }) => {
    const res = await post('/api/ops/events', {
      venue_id: venueId,
      hall_id: 'HALL-C',
      name: 'Ops Show',
      event_date: future(),
      pricing_tiers: tiers,
    });
    expect(res.statusCode).toBe(201);
    return res.json().data.event_id as string;
  };

  beforeAll(async () => {
    t = await createTestApp({ seed: true });
    const token = async (email: string) => (await demoUser(t, email)).token;
    [operator, admin, fan, staff] = [await token(DEMO.operator), await token(DEMO.admin), await token(DEMO.fan), await token(DEMO.staff)];
  });
  afterAll(async () => t?.close());

  describe('access control', () => {
    const routes: ['GET' | 'POST', string, object | undefined][] = [
      ['GET', '/api/ops/venues', undefined],
      ['POST', '/api/ops/venues', { name: 'X' }],
      ['POST', '/api/ops/halls', { hall_id: 'HALL-Z', venue_id: UNKNOWN, name: 'Z' }],
      ['POST', '/api/ops/events', {}],
      ['POST', `/api/ops/events/${UNKNOWN}/seats`, {}],
    ];

    it.each(routes)('%s %s refuses fans and staff with FORBIDDEN, even with a bad body', async (method, url, body) => {
      for (const token of [fan, staff]) {
        const res = await call(method, url, token, body);
        expect(res.statusCode).toBe(403);
        expect(res.json()).toMatchObject({ success: false, error_code: 'FORBIDDEN' });
      }
    });

    it.each(routes)('%s %s refuses a missing token with UNAUTHORIZED', async (method, url, body) => {
      const res = await call(method, url, undefined, body);
      expect(res.statusCode).toBe(401);
      expect(res.json().error_code).toBe('UNAUTHORIZED');
    });

    it('refuses the CSV import to fans', async () => {
      const res = await csv(UNKNOWN, 'row,seat_number,category\nA,1,CAT1\n', fan);
      expect(res.statusCode).toBe(403);
      expect(res.json().error_code).toBe('FORBIDDEN');
    });

    it('lets admins in', async () => {
      expect((await call('GET', '/api/ops/venues', admin)).statusCode).toBe(200);
    });
  });

  describe('venues and halls', () => {
    it('creates venues and lists them with their halls', async () => {
      const res = await post('/api/ops/venues', { name: 'Harbour Arena', address: '1 Harbour Way' });
      expect(res.statusCode).toBe(201);
      expect(res.json().data).toEqual({
        venue_id: expect.any(String),
        name: 'Harbour Arena',
        address: '1 Harbour Way',
        city: '',
        halls: [],
      });
      venueId = res.json().data.venue_id;
      otherVenueId = (await post('/api/ops/venues', { name: 'Other Place' }, admin)).json().data.venue_id;

      const hall = await post('/api/ops/halls', { hall_id: 'HALL-C', venue_id: venueId, name: 'Harbour Hall' });
      expect(hall.statusCode).toBe(201);
      expect(hall.json().data).toEqual({ hall_id: 'HALL-C', venue_id: venueId, name: 'Harbour Hall' });
      expect((await post('/api/ops/halls', { hall_id: 'HALL-D', venue_id: venueId, name: 'Side Hall' })).statusCode).toBe(201);

      const list = (await call('GET', '/api/ops/venues', admin)).json().data;
      expect(list.find((v: { venue_id: string }) => v.venue_id === venueId)).toEqual({
        venue_id: venueId,
        name: 'Harbour Arena',
        address: '1 Harbour Way',
        city: '',
        halls: [
          { hall_id: 'HALL-C', name: 'Harbour Hall' },
          { hall_id: 'HALL-D', name: 'Side Hall' },
        ],
      });
      expect(list.find((v: { venue_id: string }) => v.venue_id === otherVenueId)).toMatchObject({ address: '', halls: [] });
      expect(list.find((v: { name: string }) => v.name === 'Singapore Indoor Stadium').halls).toEqual([
        { hall_id: 'HALL-A', name: 'Main Arena' },
      ]);
      // The operator is assigned to the venue they created, not to the admin's.
      const theirs = (await call('GET', '/api/ops/venues', operator)).json().data.map((v: { venue_id: string }) => v.venue_id);
      expect(theirs).toContain(venueId);
      expect(theirs).not.toContain(otherVenueId);
    });

    it('answers a taken hall code with CONFLICT', async () => {
      const res = await post('/api/ops/halls', { hall_id: 'HALL-A', venue_id: venueId, name: 'Again' });
      expect(res.statusCode).toBe(409);
      expect(res.json().error_code).toBe('CONFLICT');
    });

    it('answers an unknown venue with VENUE_NOT_FOUND', async () => {
      const res = await post('/api/ops/halls', { hall_id: 'HALL-E', venue_id: UNKNOWN, name: 'Nowhere' });
      expect(res.statusCode).toBe(404);
      expect(res.json().error_code).toBe('VENUE_NOT_FOUND');
    });

    it.each([
      [{ hall_id: 'hall-c', venue_id: UNKNOWN, name: 'x' }, 'body.hall_id'],
      [{ hall_id: 'HALL-TOO-LONG', venue_id: UNKNOWN, name: 'x' }, 'body.hall_id'],
      [{ hall_id: 'HALL-F', venue_id: 'nope', name: 'x' }, 'body.venue_id'],
      [{ hall_id: 'HALL-F', venue_id: UNKNOWN }, 'body.name'],
    ])('answers a bad hall body with VALIDATION_ERROR (%j)', async (body, field) => {
      const res = await post('/api/ops/halls', body);
      expect(res.statusCode).toBe(400);
      expect(res.json().error_code).toBe('VALIDATION_ERROR');
      expect(res.json().details.map((d: { field: string }) => d.field)).toContain(field);
    });

    it('answers a venue without a name with VALIDATION_ERROR', async () => {
      const res = await post('/api/ops/venues', { name: '   ' });
      expect(res.statusCode).toBe(400);
      expect(res.json().error_code).toBe('VALIDATION_ERROR');
    });
  });

  describe('POST /api/ops/events', () => {
    it('creates an event with its pricing tiers; it shows in the public listing', async () => {
      const date = new Date(Date.now() + 3 * DAY);
      date.setUTCMilliseconds(0);
      const res = await post('/api/ops/events', {
        venue_id: venueId,
        hall_id: 'HALL-C',
        name: 'Harbour Lights',
        event_date: date.toISOString().replace('Z', '+00:00'),
        pricing_tiers: { CAT1: 350.0, CAT2: 200.5, GA_FREE: 0 },
      });
      expect(res.statusCode).toBe(201);
      const data = res.json().data;
      expect(data).toEqual({
        event_id: expect.any(String),
        name: 'Harbour Lights',
        description: '',
        event_type: 'other',
        city: '',
        venue: { venue_id: venueId, name: 'Harbour Arena', address: '1 Harbour Way' },
        hall_id: 'HALL-C',
        event_date: date.toISOString(),
        total_seats: 0,
        available_seats: 0,
        pricing_tiers: { CAT1: 350, CAT2: 200.5, GA_FREE: 0 },
      });
      const cents = await t.ctx.pool.query('SELECT category, price_cents FROM event_categories WHERE event_id = $1 ORDER BY category', [
        data.event_id,
      ]);
      expect(cents.rows).toEqual([
        { category: 'CAT1', price_cents: 35000 },
        { category: 'CAT2', price_cents: 20050 },
        { category: 'GA_FREE', price_cents: 0 },
      ]);
      const listed = (await call('GET', '/api/events?per_page=100', undefined)).json().data;
      expect(listed.map((e: { event_id: string }) => e.event_id)).toContain(data.event_id);
    });

    const base = () => ({ venue_id: venueId, hall_id: 'HALL-C', name: 'Show', event_date: future(), pricing_tiers: { CAT1: 10 } });

    it('answers an unknown venue with VENUE_NOT_FOUND and an unknown hall with HALL_NOT_FOUND', async () => {
      const v = await post('/api/ops/events', { ...base(), venue_id: UNKNOWN });
      expect(v.statusCode).toBe(404);
      expect(v.json().error_code).toBe('VENUE_NOT_FOUND');
      const h = await post('/api/ops/events', { ...base(), hall_id: 'HALL-Q' });
      expect(h.statusCode).toBe(404);
      expect(h.json().error_code).toBe('HALL_NOT_FOUND');
    });

    it('refuses a hall of another venue with VALIDATION_ERROR', async () => {
      const res = await post('/api/ops/events', { ...base(), venue_id: otherVenueId }, admin);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ error_code: 'VALIDATION_ERROR', message: expect.stringMatching(/another venue/) });
    });

    it.each([
      ['a past date', { event_date: new Date(Date.now() - DAY).toISOString() }, 'body.event_date'],
      ['a date that is not ISO 8601', { event_date: 'next friday' }, 'body.event_date'],
      ['a date without a zone', { event_date: '2030-01-01T19:00:00' }, 'body.event_date'],
      ['no pricing tiers', { pricing_tiers: {} }, 'body.pricing_tiers'],
      ['a price with 3 decimals', { pricing_tiers: { CAT1: 1.005 } }, 'body.pricing_tiers.CAT1'],
      ['a negative price', { pricing_tiers: { CAT1: -1 } }, 'body.pricing_tiers.CAT1'],
      ['a lower-case category', { pricing_tiers: { cat1: 5 } }, 'body.pricing_tiers'],
      ['no name', { name: '' }, 'body.name'],
    ])('answers %s with VALIDATION_ERROR', async (_case, change, field) => {
      const res = await post('/api/ops/events', { ...base(), ...change });
      expect(res.statusCode).toBe(400);
      expect(res.json().error_code).toBe('VALIDATION_ERROR');
      expect(
        res
          .json()
          .details.map((d: { field: string }) => d.field)
          .join(' '),
      ).toContain(field);
    });

    it('judges "future" by the server clock', async () => {
      const soon = new Date(Date.now() + 60_000).toISOString();
      t.clock.advance(120_000);
      try {
        expect((await post('/api/ops/events', { ...base(), event_date: soon })).json().error_code).toBe('VALIDATION_ERROR');
      } finally {
        t.clock.real();
      }
      expect((await post('/api/ops/events', { ...base(), event_date: soon })).statusCode).toBe(201);
    });
  });

  describe('POST /api/ops/events/{id}/seats (blocks)', () => {
    it('adds rows × seats per category in one transaction with one change position', async () => {
      const event = await newEvent();
      const before = await seq(event);
      const res = await post(`/api/ops/events/${event}/seats`, {
        blocks: [
          { rows: ['A', 'B'], seats_per_row: 20, category: 'CAT1' },
          { rows: ['C'], seats_per_row: 10, category: 'CAT2', first_seat_number: 5 },
        ],
      });
      expect(res.statusCode).toBe(201);
      expect(res.json().data).toEqual({ event_id: event, inserted: 50, total_seats: 50 });
      expect(await seq(event)).toBeGreaterThan(before);
      expect(await positions(event)).toBe(1);
      const { rows } = await t.ctx.pool.query(
        `SELECT row_label, min(seat_number) AS lo, max(seat_number) AS hi, count(*)::int AS n, min(category) AS cat, count(DISTINCT seq)::int AS seqs
           FROM seats WHERE event_id = $1 GROUP BY row_label ORDER BY row_label`,
        [event],
      );
      expect(rows).toEqual([
        { row_label: 'A', lo: 1, hi: 20, n: 20, cat: 'CAT1', seqs: 1 },
        { row_label: 'B', lo: 1, hi: 20, n: 20, cat: 'CAT1', seqs: 1 },
        { row_label: 'C', lo: 5, hi: 14, n: 10, cat: 'CAT2', seqs: 1 },
      ]);
      const detail = (await call('GET', `/api/events/${event}`, undefined)).json().data;
      expect(detail).toMatchObject({ total_seats: 50, available_seats: 50 });
      expect(detail.seats.find((s: { row_number: string }) => s.row_number === 'C')).toMatchObject({ seat_number: 5, price: 200.5 });

      // More seats later: the event grows.
      const more = await post(`/api/ops/events/${event}/seats`, {
        blocks: [{ rows: ['C'], seats_per_row: 4, category: 'CAT2', first_seat_number: 1 }],
      });
      expect(more.json().data).toEqual({ event_id: event, inserted: 4, total_seats: 54 });
    });

    it('refuses seats that exist already with CONFLICT naming them, and adds none', async () => {
      const event = await newEvent();
      await post(`/api/ops/events/${event}/seats`, { blocks: [{ rows: ['A'], seats_per_row: 10, category: 'CAT1' }] });
      const before = await seq(event);
      const res = await post(`/api/ops/events/${event}/seats`, {
        blocks: [
          { rows: ['B'], seats_per_row: 5, category: 'CAT1' },
          { rows: ['A'], seats_per_row: 3, category: 'CAT2', first_seat_number: 9 },
        ],
      });
      expect(res.statusCode).toBe(409);
      const body = res.json();
      expect(body.error_code).toBe('CONFLICT');
      expect(body.details).toEqual([
        { field: 'seats', message: 'seat A-9 already exists' },
        { field: 'seats', message: 'seat A-10 already exists' },
      ]);
      expect(body.message).toContain('A-9');
      expect(await seatCount(event)).toBe(10);
      expect(await seq(event)).toBe(before);
    });

    it('refuses overlapping blocks in one request with CONFLICT', async () => {
      const event = await newEvent();
      const res = await post(`/api/ops/events/${event}/seats`, {
        blocks: [
          { rows: ['A'], seats_per_row: 5, category: 'CAT1' },
          { rows: ['A'], seats_per_row: 5, category: 'CAT1', first_seat_number: 5 },
        ],
      });
      expect(res.statusCode).toBe(409);
      expect(res.json().details).toEqual([{ field: 'seats', message: 'seat A-5 is listed twice in this request' }]);
      expect(await seatCount(event)).toBe(0);
    });

    it('refuses categories the event does not price with VALIDATION_ERROR, and adds none', async () => {
      const event = await newEvent();
      const res = await post(`/api/ops/events/${event}/seats`, {
        blocks: [
          { rows: ['A'], seats_per_row: 5, category: 'CAT1' },
          { rows: ['B', 'C'], seats_per_row: 5, category: 'VIP' },
        ],
      });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ error_code: 'VALIDATION_ERROR', message: expect.stringContaining('VIP') });
      expect(res.json().details).toEqual([{ field: 'seats', message: 'category "VIP" is not a pricing tier of this event' }]);
      expect(await seatCount(event)).toBe(0);
    });

    it('answers an unknown event with EVENT_NOT_FOUND and a malformed id with INVALID_UUID', async () => {
      const body = { blocks: [{ rows: ['A'], seats_per_row: 1, category: 'CAT1' }] };
      const nf = await post(`/api/ops/events/${UNKNOWN}/seats`, body);
      expect(nf.statusCode).toBe(404);
      expect(nf.json().error_code).toBe('EVENT_NOT_FOUND');
      const bad = await post('/api/ops/events/12345/seats', body);
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error_code).toBe('INVALID_UUID');
    });

    it.each([
      [{ blocks: [] }],
      [{ blocks: [{ rows: [], seats_per_row: 1, category: 'CAT1' }] }],
      [{ blocks: [{ rows: ['a'], seats_per_row: 1, category: 'CAT1' }] }],
      [{ blocks: [{ rows: ['A'], seats_per_row: 0, category: 'CAT1' }] }],
      [{ blocks: [{ rows: ['A'], seats_per_row: 5, category: 'CAT1', first_seat_number: 0 }] }],
      [{ blocks: [{ rows: ['A', 'B'], seats_per_row: 60_000, category: 'CAT1' }] }],
    ])('answers a bad block with VALIDATION_ERROR (%j)', async (body) => {
      const event = await newEvent();
      const res = await post(`/api/ops/events/${event}/seats`, body);
      expect(res.statusCode).toBe(400);
      expect(res.json().error_code).toBe('VALIDATION_ERROR');
    });
  });

  describe('POST /api/ops/events/{id}/seats/import (CSV)', () => {
    it('imports a file (BOM, CRLF, spaces, quotes, blank lines) with one change position', async () => {
      const event = await newEvent();
      const before = await seq(event);
      const lines = ['\uFEFFrow,seat_number,category'];
      for (const row of ['A', 'B', 'AA']) for (let n = 1; n <= 30; n++) lines.push(`${row},${n},${row === 'AA' ? 'CAT2' : 'CAT1'}`);
      lines.push(' "C" , 7 , CAT2 ', '', 'C,9,CAT2', '');
      const res = await csv(event, lines.join('\r\n'));
      expect(res.statusCode).toBe(201);
      expect(res.json().data).toEqual({ event_id: event, inserted: 92, total_seats: 92 });
      expect(await seq(event)).toBeGreaterThan(before);
      expect(await positions(event)).toBe(1);
      const c = await t.ctx.pool.query(
        `SELECT seat_number, category FROM seats WHERE event_id = $1 AND row_label = 'C' ORDER BY seat_number`,
        [event],
      );
      expect(c.rows).toEqual([
        { seat_number: 7, category: 'CAT2' },
        { seat_number: 9, category: 'CAT2' },
      ]);
    });

    it('reports every bad line by its number and imports nothing', async () => {
      const event = await newEvent();
      const file = [
        'row,seat_number,category', // 1
        'A,1,CAT1', // 2
        'A,x,CAT1', // 3
        'A,2', // 4
        'a,3,CAT1', // 5
        'A,1,CAT1', // 6: repeats line 2
        'A,0,CAT1', // 7
        'A,4,CAT1', // 8
        ',5,', // 9
      ].join('\n');
      const res = await csv(event, file);
      expect(res.statusCode).toBe(400);
      const body = res.json();
      expect(body.error_code).toBe('VALIDATION_ERROR');
      expect(body.details.map((d: { field: string }) => d.field)).toEqual(['line 3', 'line 4', 'line 5', 'line 6', 'line 7', 'line 9']);
      expect(body.details[3].message).toBe('seat A-1 repeats line 2');
      expect(body.message).toContain('line 3');
      expect(await seatCount(event)).toBe(0);
    });

    it('reports lines whose category the event does not price', async () => {
      const event = await newEvent();
      const res = await csv(event, 'row,seat_number,category\nA,1,CAT1\nA,2,VIP\nA,3,CAT1\nA,4,cat1\n');
      expect(res.statusCode).toBe(400);
      expect(res.json().details).toEqual([
        { field: 'line 3', message: 'category "VIP" is not a pricing tier of this event' },
        { field: 'line 5', message: 'category "cat1" is not a pricing tier of this event' },
      ]);
      expect(await seatCount(event)).toBe(0);
    });

    it('answers seats that exist already with CONFLICT naming their lines, and imports nothing', async () => {
      const event = await newEvent();
      await post(`/api/ops/events/${event}/seats`, { blocks: [{ rows: ['B'], seats_per_row: 3, category: 'CAT1' }] });
      const res = await csv(event, 'row,seat_number,category\nA,1,CAT1\nB,2,CAT1\nB,4,CAT1\nB,3,CAT2\n');
      expect(res.statusCode).toBe(409);
      expect(res.json()).toMatchObject({ error_code: 'CONFLICT' });
      expect(res.json().details).toEqual([
        { field: 'line 3', message: 'seat B-2 already exists' },
        { field: 'line 5', message: 'seat B-3 already exists' },
      ]);
      expect(await seatCount(event)).toBe(3);
    });

    it.each([
      ['a wrong header', 'row,number,category\nA,1,CAT1\n', 'line 1'],
      ['an empty file', '\n\n', undefined],
      ['a header only', 'row,seat_number,category\n', undefined],
    ])('refuses %s with VALIDATION_ERROR', async (_case, file, field) => {
      const event = await newEvent();
      const res = await csv(event, file);
      expect(res.statusCode).toBe(400);
      expect(res.json().error_code).toBe('VALIDATION_ERROR');
      if (field) expect(res.json().details[0].field).toBe(field);
    });

    it('answers an unknown event with EVENT_NOT_FOUND', async () => {
      const res = await csv(UNKNOWN, 'row,seat_number,category\nA,1,CAT1\n');
      expect(res.statusCode).toBe(404);
      expect(res.json().error_code).toBe('EVENT_NOT_FOUND');
    });

    it('wants text/csv', async () => {
      const event = await newEvent();
      const res = await call(
        'POST',
        `/api/ops/events/${event}/seats/import`,
        operator,
        'row,seat_number,category\nA,1,CAT1\n',
        'application/xml',
      );
      expect(res.statusCode).toBe(415);
      expect(res.json().success).toBe(false);
    });

    it('imports a 5,000-seat map and serves it', async () => {
      const event = await newEvent();
      const lines = ['row,seat_number,category'];
      for (let r = 1; r <= 50; r++) for (let n = 1; n <= 100; n++) lines.push(`R${r},${n},${r <= 10 ? 'CAT1' : 'CAT2'}`);
      const res = await csv(event, lines.join('\n'));
      expect(res.json().data).toEqual({ event_id: event, inserted: 5000, total_seats: 5000 });
      const detail = (await call('GET', `/api/events/${event}`, undefined)).json().data;
      expect(detail.seats).toHaveLength(5000);
      // Numeric row labels in venue order: R2 before R10.
      expect(detail.seats[100]).toMatchObject({ row_number: 'R2', seat_number: 1 });
    });
  });

  it('documents the operator endpoints with their error codes', async () => {
    const spec = (await call('GET', '/docs/json', undefined)).json();
    const imp = spec.paths['/api/ops/events/{event_id}/seats/import'].post;
    expect(Object.keys(imp.requestBody.content)).toEqual(['text/csv']);
    expect(Object.keys(imp.responses)).toEqual(expect.arrayContaining(['201', '400', '401', '403', '404', '409']));
    expect(spec.paths['/api/ops/halls'].post.description).toContain('VENUE_NOT_FOUND');
    expect(spec.paths['/api/ops/events'].post.description).toContain('HALL_NOT_FOUND');
  });
});

describe('seat layout', () => {
  it('turns a seat list into the fewest blocks and back', () => {
    const seats = [
      ...expandSeatBlocks([{ rows: ['A', 'B', 'C'], seatsPerRow: 10, category: 'CAT1' }]),
      { row: 'D', number: 3, category: 'CAT2' },
      { row: 'D', number: 1, category: 'CAT2' },
      { row: 'D', number: 2, category: 'CAT2' },
      { row: 'D', number: 7, category: 'CAT2' },
      { row: 'E', number: 4, category: 'CAT1' },
      { row: 'E', number: 5, category: 'CAT2' },
    ];
    const blocks = seatsToBlocks(seats);
    expect(blocks).toHaveLength(5);
    expect(blocks[0]).toEqual({ rows: ['A', 'B', 'C'], seatsPerRow: 10, category: 'CAT1', firstSeatNumber: 1 });
    const key = (s: { row: string; number: number; category: string }) => `${s.row}-${s.number}-${s.category}`;
    expect(expandSeatBlocks(blocks).map(key).sort()).toEqual(seats.map(key).sort());
  });
});

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEMO, createTestApp, demoUser, type TestApp } from './helpers/app.js';

const DAY = 24 * 3600 * 1000;

describe('events', () => {
  let t: TestApp;
  let arena: string;
  let chamber: string;
  let past: string;
  const get = (url: string) => t.app.inject({ method: 'GET', url });

  beforeAll(async () => {
    t = await createTestApp({ seed: true });
    const { rows } = await t.ctx.pool.query<{ id: string; name: string }>('SELECT id, name FROM events');
    const id = (name: string) => rows.find((r) => r.name.startsWith(name))!.id;
    arena = id('TicketGate Live');
    chamber = id('Chamber');
    past = id('Opening Night');
  });
  afterAll(async () => t?.close());

  describe('GET /api/events', () => {
    it('lists upcoming events only, soonest first, in the API shape', async () => {
      const res = await get('/api/events');
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.success).toBe(true);
      expect(body.pagination).toEqual({ page: 1, per_page: 20, total: 2, total_pages: 1 });
      expect(body.data.map((e: { event_id: string }) => e.event_id)).toEqual([chamber, arena]);
      const a = body.data[1];
      expect(a).toEqual({
        event_id: arena,
        name: 'TicketGate Live: Arena Night',
        description: expect.any(String),
        event_type: 'music',
        city: 'Singapore',
        venue: { venue_id: expect.any(String), name: 'Singapore Indoor Stadium' },
        hall_id: 'HALL-A',
        event_date: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        total_seats: 5000,
        available_seats: 5000,
        pricing_tiers: { CAT1: 350, CAT2: 200, CAT3: 120 },
      });
      expect(body.data[0].pricing_tiers).toEqual({ CIRCLE: 50, STALLS: 80 });
    });

    it('counts available seats live, counting holds that have expired as available', async () => {
      const fan = await demoUser(t, DEMO.fan);
      const q = (sql: string) => t.ctx.pool.query(sql, [arena, fan.id]);
      await q(`UPDATE seats SET status = 'SOLD', owner_user_id = $2
                WHERE id IN (SELECT id FROM seats WHERE event_id = $1 AND row_label = 'B' AND seat_number <= 3)`);
      await q(`UPDATE seats SET status = 'HELD', held_by = $2, held_until = now() + interval '5 minutes'
                WHERE id IN (SELECT id FROM seats WHERE event_id = $1 AND row_label = 'C' AND seat_number <= 2)`);
      await q(`UPDATE seats SET status = 'HELD', held_by = $2, held_until = now() - interval '1 second'
                WHERE id IN (SELECT id FROM seats WHERE event_id = $1 AND row_label = 'D' AND seat_number = 1)`);
      const listed = (await get('/api/events')).json().data.find((e: { event_id: string }) => e.event_id === arena);
      expect(listed).toMatchObject({ total_seats: 5000, available_seats: 4995 });

      const detail = (await get(`/api/events/${arena}`)).json().data;
      expect(detail).toMatchObject({ total_seats: 5000, available_seats: 4995 });
      const seat = (row: string, n: number) =>
        detail.seats.find((s: { row_number: string; seat_number: number }) => s.row_number === row && s.seat_number === n);
      expect(seat('B', 1).status).toBe('SOLD');
      expect(seat('C', 2).status).toBe('HELD');
      expect(seat('D', 1).status).toBe('AVAILABLE');
      expect(seat('D', 2).status).toBe('AVAILABLE');

      // The test clock decides expiry: 6 minutes on, the C holds have lapsed too.
      t.clock.advance(6 * 60_000);
      try {
        expect((await get(`/api/events/${arena}`)).json().data.available_seats).toBe(4997);
      } finally {
        t.clock.real();
      }
    });

    it('drops an event from the list once its date has passed (test clock)', async () => {
      t.clock.advance(15 * DAY);
      try {
        const ids = (await get('/api/events')).json().data.map((e: { event_id: string }) => e.event_id);
        expect(ids).toEqual([arena]);
      } finally {
        t.clock.real();
      }
    });

    it.each([
      ['page=0', 'querystring.page'],
      ['per_page=0', 'querystring.per_page'],
      ['per_page=101', 'querystring.per_page'],
      ['page=abc', 'querystring.page'],
      ['page=1.5', 'querystring.page'],
    ])('answers %s with VALIDATION_ERROR', async (query, field) => {
      const res = await get(`/api/events?${query}`);
      expect(res.statusCode).toBe(400);
      expect(res.json().error_code).toBe('VALIDATION_ERROR');
      expect(res.json().details.map((d: { field: string }) => d.field)).toContain(field);
    });

    describe('pagination', () => {
      beforeAll(async () => {
        // 23 more upcoming events (25 in all) and one more past one, a day apart.
        await t.ctx.pool.query(
          `INSERT INTO events (venue_id, hall_id, name, event_date)
           SELECT h.venue_id, h.id, 'Extra ' || lpad(n::text, 2, '0'), now() + (40 + n) * interval '1 day'
             FROM halls h, generate_series(1, 23) AS n WHERE h.id = 'HALL-B'
           UNION ALL
           SELECT h.venue_id, h.id, 'Old extra', now() - interval '1 day' FROM halls h WHERE h.id = 'HALL-B'`,
        );
      });

      it('computes total and total_pages, and pages never overlap', async () => {
        const pages = [];
        for (let page = 1; page <= 3; page++) {
          const body = (await get(`/api/events?page=${page}&per_page=10`)).json();
          expect(body.pagination).toEqual({ page, per_page: 10, total: 25, total_pages: 3 });
          pages.push(...body.data);
        }
        expect(pages).toHaveLength(25);
        expect(new Set(pages.map((e) => e.event_id)).size).toBe(25);
        const dates = pages.map((e) => e.event_date);
        expect([...dates].sort()).toEqual(dates);
        expect(pages.at(-1).name).toBe('Extra 23');
        expect(pages.filter((e) => e.name === 'Old extra')).toEqual([]);
        // An event without seats lists zeros and its (empty) tiers.
        expect(pages.find((e) => e.name === 'Extra 01')).toMatchObject({ total_seats: 0, available_seats: 0, pricing_tiers: {} });
      });

      it('answers a page past the end with no data and the same totals', async () => {
        const body = (await get('/api/events?page=4&per_page=10')).json();
        expect(body).toEqual({ success: true, data: [], pagination: { page: 4, per_page: 10, total: 25, total_pages: 3 } });
      });

      it('rounds total_pages up and accepts per_page 100', async () => {
        expect((await get('/api/events?per_page=7')).json().pagination).toEqual({ page: 1, per_page: 7, total: 25, total_pages: 4 });
        const all = (await get('/api/events?per_page=100')).json();
        expect(all.data).toHaveLength(25);
        expect(all.pagination.total_pages).toBe(1);
        expect((await get('/api/events?per_page=25')).json().pagination.total_pages).toBe(1);
      });
    });
  });

  describe('GET /api/events/{event_id}', () => {
    it('answers the event with venue address, tiers and the full seat map in venue order', async () => {
      const res = await get(`/api/events/${arena}`);
      expect(res.statusCode).toBe(200);
      const data = res.json().data;
      expect(data).toMatchObject({
        event_id: arena,
        venue: { name: 'Singapore Indoor Stadium', address: '2 Stadium Walk, Singapore 397691' },
        hall_id: 'HALL-A',
        total_seats: 5000,
        pricing_tiers: { CAT1: 350, CAT2: 200, CAT3: 120 },
      });
      expect(data.seats).toHaveLength(5000);
      expect(data.seats[0]).toEqual({
        seat_id: expect.any(String),
        row_number: 'A',
        seat_number: 1,
        status: 'AVAILABLE',
        category: 'CAT1',
        price: 350,
      });
      expect(data.seats[99]).toMatchObject({ row_number: 'A', seat_number: 100 });
      // Row Z, then AA (not A, AA, AB, ..., B).
      expect(data.seats[2599]).toMatchObject({ row_number: 'Z', seat_number: 100, category: 'CAT2', price: 200 });
      expect(data.seats[2600]).toMatchObject({ row_number: 'AA', seat_number: 1 });
      expect(data.seats[4999]).toMatchObject({ row_number: 'AX', seat_number: 100, category: 'CAT3', price: 120 });
      expect(data.available_seats).toBe(data.seats.filter((s: { status: string }) => s.status === 'AVAILABLE').length);
    });

    it('reads a 5,000-seat map with two queries, whatever its size', async () => {
      const spy = vi.spyOn(t.ctx.pool, 'query');
      try {
        expect((await get(`/api/events/${arena}`)).statusCode).toBe(200);
        expect(spy.mock.calls.length).toBeLessThanOrEqual(2);
        spy.mockClear();
        expect((await get('/api/events?per_page=100')).statusCode).toBe(200);
        expect(spy.mock.calls.length).toBeLessThanOrEqual(2);
      } finally {
        spy.mockRestore();
      }
    });

    it('serves past events too', async () => {
      const res = await get(`/api/events/${past}`);
      expect(res.statusCode).toBe(200);
      expect(res.json().data).toMatchObject({ total_seats: 100, pricing_tiers: { GA: 60 } });
    });

    it('answers an unknown id with EVENT_NOT_FOUND', async () => {
      const res = await get('/api/events/7b1f0c1e-3c44-4d6c-9a51-2f0d2b3c4d5e');
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({ success: false, error_code: 'EVENT_NOT_FOUND', message: 'Event does not exist.' });
    });

    it('answers a malformed id with INVALID_UUID', async () => {
      const res = await get('/api/events/not-a-uuid');
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ success: false, error_code: 'INVALID_UUID' });
    });
  });

  it('is public and documented in OpenAPI with its error codes', async () => {
    const spec = (await get('/docs/json')).json();
    const one = spec.paths['/api/events/{event_id}'].get;
    expect(Object.keys(one.responses)).toEqual(expect.arrayContaining(['200', '400', '404']));
    expect(one.description).toContain('EVENT_NOT_FOUND');
    expect(spec.paths['/api/events'].get.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['page', 'per_page']),
    );
  });
});

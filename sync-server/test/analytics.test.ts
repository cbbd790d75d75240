import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARENA, CHAMBER, PAST, buySeat, eventIdOf, freeSeats } from './helpers/commerce.js';
import { DEMO, createTestApp, demoUser, type TestApp } from './helpers/app.js';

const SERVICE_KEY = 'analytics-test-service-key-0123456789';

type Actor = Awaited<ReturnType<typeof demoUser>>;

describe('Veritix analytics (/api/stats, /api/analytics/summary, /api/generate-daily-report)', () => {
  let t: TestApp;
  let fan: Actor, staff: Actor, operator: Actor, admin: Actor;
  let arena: string, chamber: string, past: string;

  const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });
  const asOperator = (url: string) => get(url, { authorization: `Bearer ${operator.token}` });
  const post = (url: string, payload: object | undefined, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url, headers, ...(payload ? { payload } : {}) });

  /** Scans straight into the entry log, as the gates and online verification write them. */
  async function scan(s: { event: string | null; seat: string | null; result: string; at: string; conflict?: boolean; reason?: string }) {
    await t.ctx.pool.query(
      `INSERT INTO scans (staff_user_id, hall_id, event_id, seat_id, result, reason, scanned_at, is_conflict)
       VALUES ($1, 'HALL-A', $2, $3, $4, $5, $6, $7)`,
      [staff.id, s.event, s.seat, s.result, s.reason ?? null, s.at, s.conflict ?? false],
    );
  }
  async function transfer(seat: string, status: string, completedAt: string | null) {
    await t.ctx.pool.query(
      `INSERT INTO transfers (seat_id, seller_id, buyer_id, initiated_by, amount_cents, status, expires_at, completed_at)
       VALUES ($1, $2, $3, $2, 1000, $4, now() + interval '1 day', $5)`,
      [seat, fan.id, admin.id, status, completedAt],
    );
  }

  beforeAll(async () => {
    t = await createTestApp({ seed: true, env: { SERVICE_API_KEY: SERVICE_KEY } });
    const users = await Promise.all([DEMO.fan, DEMO.staff, DEMO.operator, DEMO.admin].map((e) => demoUser(t, e)));
    [fan, staff, operator, admin] = [users[0]!, users[1]!, users[2]!, users[3]!];
    const events = await Promise.all([ARENA, CHAMBER, PAST].map((n) => eventIdOf(t, n)));
    [arena, chamber, past] = [events[0]!, events[1]!, events[2]!];
  });
  afterAll(async () => t.close());

  describe('access', () => {
    const guarded: [string, string, object?][] = [
      ['GET', '/api/stats'],
      ['GET', '/api/stats/scans?event_id=00000000-0000-4000-8000-000000000000'],
      ['GET', '/api/stats/transfers?event_id=00000000-0000-4000-8000-000000000000'],
      ['GET', '/api/stats/invalid-attempts?event_id=00000000-0000-4000-8000-000000000000'],
      ['GET', '/api/analytics/summary'],
      ['POST', '/api/generate-daily-report', {}],
      ['POST', '/api/calculate-revenue-share', { event_id: 'e', total_sales: 10, ticket_count: 1 }],
      ['POST', '/api/calculate-revenue-share/batch', []],
      ['GET', '/api/revenue-share/config'],
    ];

    it.each(guarded)('%s %s: no credentials → UNAUTHORIZED, fan or staff → FORBIDDEN', async (method, url, payload) => {
      const call = (headers: Record<string, string>) => t.app.inject({ method: method as 'GET', url, headers, ...(payload ? { payload } : {}) });
      const none = await call({});
      expect(none.statusCode).toBe(401);
      expect(none.json()).toMatchObject({ success: false, error_code: 'UNAUTHORIZED' });
      for (const who of [fan, staff]) {
        const res = await call({ authorization: `Bearer ${who.token}` });
        expect(res.statusCode).toBe(403);
        expect(res.json()).toMatchObject({ success: false, error_code: 'FORBIDDEN' });
      }
    });

    it('operator and admin tokens and the service key are let in', async () => {
      const allowed: Record<string, string>[] = [{ authorization: `Bearer ${operator.token}` }, { authorization: `Bearer ${admin.token}` }, { 'x-service-key': SERVICE_KEY }];
      for (const headers of allowed) {
        const res = await get('/api/stats', headers);
        expect(res.statusCode, JSON.stringify(headers)).toBe(200);
      }
    });

    it('a wrong service key is UNAUTHORIZED, even next to an operator token', async () => {
      const wrong: Record<string, string>[] = [
        { 'x-service-key': `${SERVICE_KEY}x` },
        { 'x-service-key': '' },
        { 'x-service-key': 'short', authorization: `Bearer ${operator.token}` },
      ];
      for (const headers of wrong) {
        const res = await get('/api/analytics/summary', headers);
        expect(res.statusCode).toBe(401);
        expect(res.json()).toMatchObject({ success: false, error_code: 'UNAUTHORIZED', message: 'Invalid service key.' });
      }
    });

    it('/metrics requires the service key once one is configured (header or bearer)', async () => {
      expect((await get('/metrics')).statusCode).toBe(401);
      expect((await get('/metrics', { authorization: `Bearer ${operator.token}` })).statusCode).toBe(401);
      expect((await get('/metrics', { 'x-service-key': SERVICE_KEY })).statusCode).toBe(200);
      const bearer = await get('/metrics', { authorization: `Bearer ${SERVICE_KEY}` });
      expect(bearer.statusCode).toBe(200);
      expect(bearer.headers['content-type']).toContain('version=0.0.4');
    });

    it('validates queries into the envelope', async () => {
      const bad = await asOperator('/api/stats/scans?event_id=nope');
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toMatchObject({ success: false, error_code: 'VALIDATION_ERROR' });
      expect((await asOperator('/api/stats/scans')).json().error_code).toBe('VALIDATION_ERROR');
      expect((await asOperator(`/api/stats/scans?event_id=${arena}&limit=0`)).json().error_code).toBe('VALIDATION_ERROR');
      const missing = await asOperator('/api/stats?event_id=00000000-0000-4000-8000-000000000000');
      expect(missing.statusCode).toBe(404);
      expect(missing.json().error_code).toBe('EVENT_NOT_FOUND');
    });
  });

  describe('stats and recent activity', () => {
    let seats: string[];

    beforeAll(async () => {
      seats = await freeSeats(t, ARENA, 8, { skip: 4000 });
      const [chamberSeat] = await freeSeats(t, CHAMBER, 1);
      const at = (m: number) => new Date(Date.UTC(2031, 2, 10, 18, m)).toISOString();
      // Arena: one admission and a later double admission of the same seat, a DUPLICATE (not invalid), one of each invalid verdict.
      await scan({ event: arena, seat: seats[0]!, result: 'SUCCESS', at: at(0) });
      await scan({ event: arena, seat: seats[0]!, result: 'SUCCESS', at: at(1), conflict: true });
      await scan({ event: arena, seat: seats[0]!, result: 'DUPLICATE', at: at(2) });
      await scan({ event: arena, seat: seats[1]!, result: 'EXPIRED', at: at(3), reason: 'stale, age 95s' });
      await scan({ event: arena, seat: seats[2]!, result: 'UNPAID', at: at(4) });
      await scan({ event: arena, seat: seats[3]!, result: 'WRONG_HALL', at: at(5), reason: 'ticket for HALL-B' });
      await scan({ event: arena, seat: null, result: 'NOT_FOUND', at: at(6) });
      await scan({ event: arena, seat: seats[4]!, result: 'QR_INVALID', at: at(7) });
      // Unreadable ticket: no event, counted nowhere per event.
      await scan({ event: null, seat: null, result: 'QR_INVALID', at: at(8), reason: 'bad tag' });
      await scan({ event: chamber, seat: chamberSeat!, result: 'SUCCESS', at: at(9) });
      await scan({ event: chamber, seat: chamberSeat!, result: 'EXPIRED', at: at(10) });
      // Transfers: three that happened, three that did not.
      await transfer(seats[5]!, 'COMPLETED', at(20));
      await transfer(seats[6]!, 'DISPUTED', at(21));
      await transfer(seats[7]!, 'REVERSED', at(22));
      await transfer(seats[5]!, 'FAILED', null);
      await transfer(seats[6]!, 'CANCELLED', null);
      await transfer(seats[7]!, 'PENDING_OTP', null);
    });

    it('GET /api/stats?event_id answers one object with exact counts', async () => {
      const res = await asOperator(`/api/stats?event_id=${arena}`);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ event_id: arena, scan_count: 1, transfer_count: 3, invalid_attempt_count: 5, conflict_count: 1 });
    });

    it('GET /api/stats answers every event in an array, soonest first, idle ones with zeros', async () => {
      const res = await get('/api/stats', { 'x-service-key': SERVICE_KEY });
      expect(res.json()).toEqual([
        { event_id: past, scan_count: 0, transfer_count: 0, invalid_attempt_count: 0, conflict_count: 0 },
        { event_id: chamber, scan_count: 1, transfer_count: 0, invalid_attempt_count: 1, conflict_count: 0 },
        { event_id: arena, scan_count: 1, transfer_count: 3, invalid_attempt_count: 5, conflict_count: 1 },
      ]);
    });

    it('GET /api/stats/scans lists every verdict newest first; only the canonical admission is valid', async () => {
      const body = (await asOperator(`/api/stats/scans?event_id=${arena}&limit=5`)).json();
      expect(body.event_id).toBe(arena);
      expect(body.count).toBe(5);
      expect(body.scans.map((s: { result: string }) => s.result)).toEqual(['QR_INVALID', 'NOT_FOUND', 'WRONG_HALL', 'UNPAID', 'EXPIRED']);
      const all = (await asOperator(`/api/stats/scans?event_id=${arena}`)).json();
      expect(all.count).toBe(8);
      const admissions = all.scans.filter((s: { ticket_id: string | null }) => s.ticket_id === seats[0]);
      expect(admissions).toEqual([
        { ticket_id: seats[0], scanned_at: '2031-03-10T18:02:00.000Z', is_valid: false, result: 'DUPLICATE', is_conflict: false },
        { ticket_id: seats[0], scanned_at: '2031-03-10T18:01:00.000Z', is_valid: false, result: 'SUCCESS', is_conflict: true },
        { ticket_id: seats[0], scanned_at: '2031-03-10T18:00:00.000Z', is_valid: true, result: 'SUCCESS', is_conflict: false },
      ]);
      expect(all.scans.find((s: { result: string }) => s.result === 'NOT_FOUND').ticket_id).toBeNull();
    });

    it('GET /api/stats/transfers lists the transfers that happened, newest first', async () => {
      const body = (await asOperator(`/api/stats/transfers?event_id=${arena}`)).json();
      expect(body).toEqual({
        event_id: arena,
        count: 3,
        transfers: [
          { ticket_id: seats[7], from_user: fan.id, to_user: admin.id, transferred_at: '2031-03-10T18:22:00.000Z', status: 'REVERSED' },
          { ticket_id: seats[6], from_user: fan.id, to_user: admin.id, transferred_at: '2031-03-10T18:21:00.000Z', status: 'DISPUTED' },
          { ticket_id: seats[5], from_user: fan.id, to_user: admin.id, transferred_at: '2031-03-10T18:20:00.000Z', status: 'COMPLETED' },
        ],
      });
      expect((await asOperator(`/api/stats/transfers?event_id=${chamber}`)).json()).toEqual({ event_id: chamber, transfers: [], count: 0 });
    });

    it('GET /api/stats/invalid-attempts names the verdict as reason and keeps the recorded detail', async () => {
      const body = (await asOperator(`/api/stats/invalid-attempts?event_id=${arena}&limit=3`)).json();
      expect(body.count).toBe(3);
      expect(body.attempts).toEqual([
        { ticket_id: seats[4], attempted_at: '2031-03-10T18:07:00.000Z', reason: 'QR_INVALID', detail: null },
        { ticket_id: null, attempted_at: '2031-03-10T18:06:00.000Z', reason: 'NOT_FOUND', detail: null },
        { ticket_id: seats[3], attempted_at: '2031-03-10T18:05:00.000Z', reason: 'WRONG_HALL', detail: 'ticket for HALL-B' },
      ]);
      const all = (await asOperator(`/api/stats/invalid-attempts?event_id=${arena}`)).json();
      expect(all.attempts.map((a: { reason: string }) => a.reason).sort()).toEqual(['EXPIRED', 'NOT_FOUND', 'QR_INVALID', 'UNPAID', 'WRONG_HALL']);
    });

    it('the daily report counts one UTC day: invalid scans (also of unreadable tickets) and transfers', async () => {
      const res = await post('/api/generate-daily-report', { target_date: '2031-03-10', output_format: 'json' }, { 'x-service-key': SERVICE_KEY });
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.summary).toEqual({ total_sales: 0, total_revenue: 0, total_transfers: 3, invalid_scans: 7 });
      expect(body.report.events).toEqual([
        { event_id: chamber, event_name: CHAMBER, tickets_sold: 0, revenue: 0, transfers: 0, invalid_scans: 1 },
        { event_id: arena, event_name: ARENA, tickets_sold: 0, revenue: 0, transfers: 3, invalid_scans: 5 },
        { event_id: null, event_name: null, tickets_sold: 0, revenue: 0, transfers: 0, invalid_scans: 1 },
      ]);
      const dayBefore = (await post('/api/generate-daily-report', { target_date: '2031-03-09', output_format: 'json' }, { 'x-service-key': SERVICE_KEY })).json();
      expect(dayBefore.summary).toEqual({ total_sales: 0, total_revenue: 0, total_transfers: 0, invalid_scans: 0 });
    });
  });

  describe('sales: summary and daily report', () => {
    let priceCents: number[];
    let day: string;

    beforeAll(async () => {
      const bought = [...(await freeSeats(t, ARENA, 2, { category: 'CAT1' })), ...(await freeSeats(t, CHAMBER, 1, { category: 'CIRCLE' }))];
      for (const seat of bought) await buySeat(t, fan.token, seat);
      priceCents = [350_00, 350_00, 50_00];
      day = new Date(t.clock.now()).toISOString().slice(0, 10);
    });

    it('GET /api/analytics/summary: events, tickets sold, revenue of confirmed orders as a decimal string; cached 60 s', async () => {
      const first = (await asOperator('/api/analytics/summary')).json();
      expect(first).toEqual({
        total_events: 3,
        total_tickets_sold: 3,
        total_revenue_sgd: '750.00',
        last_etl_at: null,
        generated_at: expect.any(String),
      });
      expect(priceCents.reduce((a, b) => a + b)).toBe(750_00);
      // A confirmed order not bought through the API, and a seat admitted: neither shows until the cache expires.
      const [extra] = await freeSeats(t, CHAMBER, 1, { category: 'STALLS' });
      await t.ctx.pool.query(`UPDATE seats SET status = 'CHECKED_IN', owner_user_id = $2, checked_in_at = now() WHERE id = $1`, [extra, fan.id]);
      await t.ctx.pool.query(
        `INSERT INTO orders (user_id, seat_id, event_id, amount_cents, status, held_until, confirmed_at)
         VALUES ($1, $2, $3, 8005, 'CONFIRMED', now(), $4)`,
        [fan.id, extra, chamber, new Date(t.clock.now())],
      );
      const cached = (await get('/api/analytics/summary', { 'x-service-key': SERVICE_KEY })).json();
      expect(cached).toEqual(first);
      t.clock.advance(61_000);
      const fresh = (await asOperator('/api/analytics/summary')).json();
      expect(fresh).toMatchObject({ total_events: 3, total_tickets_sold: 4, total_revenue_sgd: '830.05' });
      expect(Date.parse(fresh.generated_at)).toBeGreaterThan(Date.parse(first.generated_at));
    });

    it('the daily report of today counts the confirmed orders and their revenue; CSV inline by default', async () => {
      // Orders of other days and unconfirmed ones do not count.
      const [other] = await freeSeats(t, ARENA, 1, { skip: 3000 });
      const dayStart = Date.parse(`${day}T00:00:00Z`);
      await t.ctx.pool.query(
        `INSERT INTO orders (user_id, seat_id, event_id, amount_cents, status, held_until, confirmed_at) VALUES
           ($1, $2, $3, 99900, 'CONFIRMED', now(), $4), ($1, $2, $3, 99900, 'CONFIRMED', now(), $5)`,
        [fan.id, other, arena, new Date(dayStart - 1), new Date(dayStart + 24 * 3600_000)],
      );
      await t.ctx.pool.query(`INSERT INTO orders (user_id, seat_id, event_id, amount_cents, status, held_until) VALUES ($1, $2, $3, 99900, 'PENDING', now())`, [
        fan.id,
        other,
        arena,
      ]);
      const res = await post('/api/generate-daily-report', { target_date: day }, { authorization: `Bearer ${operator.token}` });
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body).toMatchObject({ success: true, report_date: day, output_format: 'csv' });
      expect(body.summary).toEqual({ total_sales: 4, total_revenue: 830.05, total_transfers: 0, invalid_scans: 0 });
      expect(body.report.split('\r\n')).toEqual([
        'report_date,event_id,event_name,tickets_sold,revenue_sgd,transfers,invalid_scans',
        `${day},${chamber},Chamber Evening,2,130.05,0,0`,
        `${day},${arena},TicketGate Live: Arena Night,2,700.00,0,0`,
        `${day},TOTAL,,4,830.05,0,0`,
        '',
      ]);
      expect(body.report_path).toBe(`/api/reports/${body.report_id}`); // stored in PostgreSQL, never a local file path
    });

    it('the daily report defaults to today (UTC) and rejects a malformed date', async () => {
      const res = await post('/api/generate-daily-report', undefined, { 'x-service-key': SERVICE_KEY });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ report_date: new Date(t.clock.now()).toISOString().slice(0, 10), output_format: 'csv' });
      for (const target_date of ['2031-02-30', '10/03/2031', 'yesterday']) {
        const bad = await post('/api/generate-daily-report', { target_date }, { 'x-service-key': SERVICE_KEY });
        expect(bad.statusCode, target_date).toBe(400);
        expect(bad.json().error_code).toBe('VALIDATION_ERROR');
      }
      const format = await post('/api/generate-daily-report', { output_format: 'xlsx' }, { 'x-service-key': SERVICE_KEY });
      expect(format.json().error_code).toBe('VALIDATION_ERROR');
    });
  });
});

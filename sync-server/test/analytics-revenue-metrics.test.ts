import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSplit, splitCents } from '../src/domain/analytics/revenue-share.js';
import { ARENA, freeSeats } from './helpers/commerce.js';
import { DEMO, createTestApp, demoUser, type TestApp } from './helpers/app.js';

describe('revenue share: largest remainder in integer cents', () => {
  const split = parseSplit('85/10/5');

  it('parses the split and refuses ones that do not add up to 100', () => {
    expect(split).toEqual({ organizer: 8500, platform: 1000, charity: 500 });
    expect(parseSplit('33.34/33.33/33.33')).toEqual({ organizer: 3334, platform: 3333, charity: 3333 });
    expect(() => parseSplit('85/10/6')).toThrow(/sum to 100/);
    expect(() => parseSplit('85/15')).toThrow();
  });

  it('gives the leftover cents to the largest remainders, so the parts always sum to the total', () => {
    // 0.01 × 85/10/5: remainders 0.85, 0.10, 0.05 → the organizer gets the cent.
    expect(splitCents(1, split).map((d) => d.cents)).toEqual([1, 0, 0]);
    // 0.19: exact 16.15 / 1.9 / 0.95 → floors 16/1/0, two cents left: charity (0.95) then platform (0.9).
    expect(splitCents(19, split).map((d) => d.cents)).toEqual([16, 2, 1]);
    // Three equal shares of 1 cent: the tie goes to the earlier stakeholder.
    expect(splitCents(1, parseSplit('33.34/33.33/33.33')).map((d) => d.cents)).toEqual([1, 0, 0]);
    expect(splitCents(2, { organizer: 3333, platform: 3334, charity: 3333 }).map((d) => d.cents)).toEqual([1, 1, 0]);
    for (let cents = 0; cents < 3000; cents += 7) {
      for (const s of [split, parseSplit('33.34/33.33/33.33'), parseSplit('70.5/20.25/9.25')]) {
        const parts = splitCents(cents, s);
        expect(parts.reduce((a, p) => a + p.cents, 0)).toBe(cents);
        for (const p of parts) expect(Math.abs(p.cents - (cents * p.basisPoints) / 10_000)).toBeLessThan(1);
      }
    }
    const huge = 10_000_000_000_00 + 1;
    expect(splitCents(huge, split).reduce((a, p) => a + p.cents, 0)).toBe(huge);
  });
});

describe('revenue share endpoints and /metrics (no SERVICE_API_KEY configured)', () => {
  let t: TestApp;
  let operator: string;
  const send = (
    method: 'GET' | 'POST',
    url: string,
    payload?: unknown,
    headers: Record<string, string> = { authorization: `Bearer ${operator}` },
  ) => t.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });

  beforeAll(async () => {
    t = await createTestApp({ seed: true, env: { REVENUE_SHARE_SPLIT: '85/10/5' } });
    operator = (await demoUser(t, DEMO.operator)).token;
  });
  afterAll(async () => t.close());

  it('POST /api/calculate-revenue-share answers the documented example exactly', async () => {
    const res = await send('POST', '/api/calculate-revenue-share', {
      event_id: 'event_123',
      total_sales: 10000.0,
      ticket_count: 100,
      currency: 'USD',
      additional_fees: { service_fee: 50.0 },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      event_id: 'event_123',
      currency: 'USD',
      total_paid_out: 10000,
      additional_fees_total: 50,
      distributions: [
        { stakeholder: 'organizer', amount: 8500, percentage: 85 },
        { stakeholder: 'platform', amount: 1000, percentage: 10 },
        { stakeholder: 'charity', amount: 500, percentage: 5 },
      ],
    });
  });

  it('splits odd amounts so the parts add up to the cent', async () => {
    const body = (await send('POST', '/api/calculate-revenue-share', { event_id: 'odd', total_sales: 0.19, ticket_count: 1 })).json();
    expect(body.currency).toBe('SGD');
    expect(body.distributions.map((d: { amount: number }) => d.amount)).toEqual([0.16, 0.02, 0.01]);
    expect(body.total_paid_out).toBe(0.19);
    const big = (
      await send('POST', '/api/calculate-revenue-share', { event_id: 'big', total_sales: 1234567.89, ticket_count: 9000 })
    ).json();
    const cents = big.distributions.map((d: { amount: number }) => Math.round(d.amount * 100));
    expect(cents).toEqual([104938271, 12345679, 6172839]);
    expect(cents.reduce((a: number, b: number) => a + b)).toBe(123456789);
  });

  it('answers invalid input with VALIDATION_ERROR naming the field', async () => {
    const cases: [object, string][] = [
      [{ event_id: 'e', total_sales: 0, ticket_count: 1 }, 'body.total_sales'],
      [{ event_id: 'e', total_sales: -5, ticket_count: 1 }, 'body.total_sales'],
      [{ event_id: 'e', total_sales: 10.001, ticket_count: 1 }, 'body.total_sales'],
      [{ event_id: 'e', total_sales: 10, ticket_count: -1 }, 'body.ticket_count'],
      [{ event_id: 'e', total_sales: 10, ticket_count: 1, currency: 'dollars' }, 'body.currency'],
      [{ event_id: 'e', total_sales: 10, ticket_count: 1, additional_fees: { x: -1 } }, 'body.additional_fees.x'],
      [{ total_sales: 10, ticket_count: 1 }, 'body.event_id'],
    ];
    for (const [payload, field] of cases) {
      const res = await send('POST', '/api/calculate-revenue-share', payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      const body = res.json();
      expect(body).toMatchObject({ success: false, error_code: 'VALIDATION_ERROR' });
      expect(body.details.map((d: { field: string }) => d.field)).toContain(field);
    }
    const positive = (await send('POST', '/api/calculate-revenue-share', { event_id: 'e', total_sales: 0, ticket_count: 1 })).json();
    expect(positive.message).toContain('total_sales must be positive');
  });

  it('batch: calculates the valid items, skips the others and names them in X-Skipped-Items', async () => {
    const res = await send('POST', '/api/calculate-revenue-share/batch', [
      { event_id: 'event_001', total_sales: 5000.0, ticket_count: 50, currency: 'USD' },
      { event_id: 'bad', total_sales: -1, ticket_count: 1 },
      { event_id: 'event_002', total_sales: 12000.0, ticket_count: 120 },
      { nonsense: true },
    ]);
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-skipped-items']).toBe('1,3');
    const body = res.json();
    expect(body.map((r: { event_id: string; total_paid_out: number }) => [r.event_id, r.total_paid_out])).toEqual([
      ['event_001', 5000],
      ['event_002', 12000],
    ]);
    expect(body[1].distributions[0]).toEqual({ stakeholder: 'organizer', amount: 10200, percentage: 85 });
    expect((await send('POST', '/api/calculate-revenue-share/batch', { not: 'an array' })).json().error_code).toBe('VALIDATION_ERROR');
  });

  it('GET /api/revenue-share/config and /example', async () => {
    expect((await send('GET', '/api/revenue-share/config')).json()).toEqual({
      organizer_percentage: 85,
      platform_percentage: 10,
      charity_percentage: 5,
    });
    const example = await send('GET', '/api/revenue-share/example', undefined, {});
    expect(example.statusCode).toBe(200);
    const calc = await send('POST', '/api/calculate-revenue-share', example.json());
    expect(calc.json().total_paid_out).toBe(example.json().total_sales);
  });

  it('without a configured key a presented X-Service-Key is refused, operator tokens still work', async () => {
    const res = await send('GET', '/api/stats', undefined, { 'x-service-key': 'anything-at-all-0123456789' });
    expect(res.statusCode).toBe(401);
    expect(res.json().error_code).toBe('UNAUTHORIZED');
    expect((await send('GET', '/api/stats')).statusCode).toBe(200);
  });

  it('GET /metrics: open without a key; Prometheus text with HTTP and database figures', async () => {
    const staff = await demoUser(t, DEMO.staff);
    const [seat] = await freeSeats(t, ARENA, 1);
    await t.ctx.pool.query(
      `INSERT INTO scans (staff_user_id, hall_id, event_id, seat_id, result, scanned_at, is_conflict) VALUES
         ($1, 'HALL-A', (SELECT event_id FROM seats WHERE id = $2), $2, 'SUCCESS', now(), false),
         ($1, 'HALL-A', (SELECT event_id FROM seats WHERE id = $2), $2, 'SUCCESS', now(), true),
         ($1, 'HALL-A', NULL, NULL, 'QR_INVALID', now(), false)`,
      [staff.id, seat],
    );
    await send('GET', '/api/revenue-share/config');
    const res = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = res.body;
    // Every sample line is `name{labels} value` (prom-client writes NaN as "Nan", which Prometheus parses).
    const samples = text.split('\n').filter((l) => l && !l.startsWith('#'));
    for (const line of samples) expect(line).toMatch(/^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[^}]*\})? (-?[0-9.e+-]+|Na[Nn]|[+-]Inf)$/);
    const value = (series: string) => {
      const line = samples.find((l) => l.startsWith(`${series} `));
      return line === undefined ? undefined : Number(line.slice(series.length + 1));
    };
    expect(value('http_requests_total{method="GET",route="/api/revenue-share/config",status_code="200"}')).toBeGreaterThanOrEqual(1);
    expect(
      value('http_request_duration_seconds_count{method="GET",route="/api/revenue-share/config",status_code="200"}'),
    ).toBeGreaterThanOrEqual(1);
    expect(value('ticketgate_scans{result="SUCCESS",source="online"}')).toBe(2);
    expect(value('ticketgate_scans{result="QR_INVALID",source="online"}')).toBe(1);
    expect(value('ticketgate_scan_conflicts')).toBe(1);
    expect(value('ticketgate_seats{status="AVAILABLE"}')).toBe(5220);
    expect(value('ticketgate_database_up')).toBe(1);
    for (const family of [
      'http_requests_total',
      'http_request_duration_seconds',
      'ticketgate_scans',
      'ticketgate_orders',
      'ticketgate_transfers',
      'ticketgate_devices',
      'process_cpu_user_seconds_total',
    ]) {
      expect(text).toContain(`# TYPE ${family} `);
    }
    // Unmatched URLs are one series, not one per path.
    await t.app.inject({ method: 'GET', url: '/api/no/such/route/123' });
    const again = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(again).toContain('route="unmatched",status_code="404"');
    expect(again).not.toContain('/api/no/such/route/123');
  });
});

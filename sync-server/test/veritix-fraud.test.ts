import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, createTestApp, demoUser, tokenFor, type TestApp } from './helpers/app.js';
import { ARENA, CHAMBER, call, createFans, freeSeats } from './helpers/commerce.js';
import { runFraudRules } from '../src/domain/fraud/fraud-job.js';
import { completedTransfer } from './transfers-fixtures.js';

const SERVICE_KEY = 'veritix-fraud-test-service-key';
type Actor = Awaited<ReturnType<typeof demoUser>>;
const RULES = ['address_purchase_burst', 'account_daily_volume', 'repeated_ticket_transfers', 'impossible_travel_scan', 'bulk_allocation'];
const only = (rule?: string) => Object.fromEntries(RULES.map((r) => [r, r === rule ? 1 : 0]));

describe('fraud rules: stateless check, live rules as a shared job, operator decisions', () => {
  let t: TestApp;
  let operator: Actor, staff: Actor, fan: Actor, fan2: Actor;
  let skip = 0;
  const seats = async (event: string, n: number) => {
    const s = await freeSeats(t, event, n, { skip });
    skip += n;
    return s;
  };
  const buy = async (token: string, seatId: string, ip: string) => {
    const r = await call(t, 'POST', '/api/reserve', token, { seat_id: seatId }, ip);
    expect(r.statusCode, r.body).toBe(200);
    const p = await call(t, 'POST', '/api/pay', token, { order_id: r.json().data.order_id }, ip);
    expect(p.statusCode, p.body).toBe(200);
  };
  const run = async () => {
    const res = await call(t, 'POST', '/api/fraud/run', operator.token);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().new_flags as Record<string, number>;
  };
  const qrOf = async (a: Actor, seatId: string) =>
    (await call(t, 'GET', `/api/tickets/${seatId}/qr`, a.token)).json().data.qr_payload as string;
  const verifyAt = (hall: string, text: string) => call(t, 'POST', '/api/verify', staff.token, { qr_payload: text, hall_id: hall });

  beforeAll(async () => {
    t = await createTestApp({
      seed: true,
      env: {
        SERVICE_API_KEY: SERVICE_KEY,
        FRAUD_ADDRESS_PURCHASES_PER_10_MIN: '4',
        FRAUD_ACCOUNT_PURCHASES_PER_DAY: '6',
        FRAUD_TRANSFERS_PER_TICKET: '3',
        FRAUD_BULK_MIN_SEATS: '5',
        FRAUD_BULK_SHARE_PERCENT: '1',
        FRAUD_TRAVEL_MINUTES: '60',
      },
    });
    [operator, staff, fan, fan2] = (await Promise.all(
      [DEMO.operator, DEMO.staff, DEMO.fan, DEMO.fan2].map((e) => demoUser(t, e)),
    )) as Actor[] as [Actor, Actor, Actor, Actor];
  });
  afterAll(async () => t.close());

  describe('POST /api/check-fraud', () => {
    const check = (payload: unknown, headers: Record<string, string> = { 'x-service-key': SERVICE_KEY }) =>
      t.app.inject({ method: 'POST', url: '/api/check-fraud', headers, payload: payload as object });
    it("the spec's example triggers high_volume_purchase and new_account_bulk_buy; an ordinary buyer nothing", async () => {
      const example = {
        ticket_id: 'TKT-099',
        user_id: 'user_suspicious',
        tickets_per_txn: 10,
        txns_per_min: 8.5,
        avg_price_ratio: 1.9,
        account_age_days: 1,
        zip_mismatch: 1,
        device_changes: 5,
      };
      expect((await check({ events: [example] })).json()).toEqual({ triggered_rules: ['high_volume_purchase', 'new_account_bulk_buy'] });
      const ordinary = {
        tickets_per_txn: 2,
        txns_per_min: 0.2,
        avg_price_ratio: 1,
        account_age_days: 400,
        zip_mismatch: 0,
        device_changes: 1,
      };
      expect((await check({ events: [ordinary] })).json()).toEqual({ triggered_rules: [] });
      expect((await check({ events: [] })).json()).toEqual({ triggered_rules: [] });
    });
    it('validates and guards', async () => {
      for (const payload of [{}, { events: 'x' }, { events: [{ tickets_per_txn: 'many' }] }, { events: [{ txns_per_min: -1 }] }]) {
        expect((await check(payload)).json().error_code).toBe('VALIDATION_ERROR');
      }
      expect((await check({ events: [] }, {})).statusCode).toBe(401);
      expect((await check({ events: [] }, { authorization: `Bearer ${fan.token}` })).statusCode).toBe(403);
    });
  });

  describe('live rules', () => {
    it('ordinary traffic raises nothing', async () => {
      const fans = await createFans(t, 3, { balanceCents: 1000_00, prefix: 'ordinary' });
      for (const [i, f] of fans.entries()) for (const s of await seats(CHAMBER, 2)) await buy(f.token, s, `192.0.2.${10 + i}`);
      const [mine] = await seats(CHAMBER, 1);
      const [travel] = await seats(ARENA, 1);
      await buy(fan.token, mine!, '192.0.2.50');
      await buy(fan.token, travel!, '192.0.2.50');
      await completedTransfer(t, fan, fan2, mine!, 10);
      expect((await verifyAt('HALL-A', await qrOf(fan, travel!))).json().data.result).toBe('SUCCESS');
      expect(await run()).toEqual(only());
      expect((await call(t, 'GET', '/api/fraud/flags', operator.token)).json()).toEqual({ flags: [], count: 0 });
    });

    it('many purchases from one address within 10 minutes: once', async () => {
      const fans = await createFans(t, 5, { balanceCents: 1000_00, prefix: 'shared-ip' });
      for (const f of fans) await buy(f.token, (await seats(CHAMBER, 1))[0]!, '198.51.100.7');
      expect(await run()).toEqual(only('address_purchase_burst'));
      expect(await run()).toEqual(only());
      const flag = (await call(t, 'GET', '/api/fraud/flags?status=OPEN', operator.token)).json().flags[0];
      expect(flag).toMatchObject({
        rule: 'address_purchase_burst',
        status: 'OPEN',
        user_id: fans[4]!.id,
        details: { purchases_in_10_min: 5, accounts: 5 },
      });
      // The address is kept only as a keyed hash.
      const stored = await t.ctx.pool.query(
        "SELECT count(*)::int AS n FROM purchase_origins WHERE address_hash LIKE '198.%' OR address_hash LIKE '%51.100%'",
      );
      expect(stored.rows[0].n).toBe(0);
    });

    it('too many purchases by one account in a day: once', async () => {
      const [buyer] = await createFans(t, 1, { balanceCents: 5000_00, prefix: 'daily' });
      for (const [i, s] of [...(await seats(ARENA, 4)), ...(await seats(CHAMBER, 3))].entries())
        await buy(buyer!.token, s, `192.0.2.${100 + i}`);
      expect(await run()).toEqual(only('account_daily_volume'));
      expect(await run()).toEqual(only());
    });

    it('one account holding more than its share of an event: once', async () => {
      const [buyer] = await createFans(t, 1, { balanceCents: 5000_00, prefix: 'bulk' });
      for (const [i, s] of (await seats(CHAMBER, 6)).entries()) await buy(buyer!.token, s, `192.0.2.${150 + i}`);
      expect(await run()).toEqual(only('bulk_allocation'));
      expect(await run()).toEqual(only());
    });

    it('one ticket transferred again and again: once', async () => {
      const [seat] = await seats(CHAMBER, 1);
      await buy(fan.token, seat!, '192.0.2.60');
      await completedTransfer(t, fan, fan2, seat!, 5);
      await completedTransfer(t, fan2, fan, seat!, 5);
      await completedTransfer(t, fan, fan2, seat!, 5);
      expect(await run()).toEqual(only('repeated_ticket_transfers'));
      expect(await run()).toEqual(only());
    });

    it('one ticket presented at two venues within an hour: once', async () => {
      const [seat] = await seats(ARENA, 1);
      await buy(fan2.token, seat!, '192.0.2.61');
      expect((await verifyAt('HALL-B', await qrOf(fan2, seat!))).json().data.result).toBe('WRONG_HALL');
      t.clock.advance(10 * 60_000);
      expect((await verifyAt('HALL-A', await qrOf(fan2, seat!))).json().data.result).toBe('SUCCESS');
      expect(await run()).toEqual(only('impossible_travel_scan'));
      expect(await run()).toEqual(only());
    });

    it('passes running at the same time (one per instance) take turns and record nothing twice', async () => {
      const results = await Promise.all([runFraudRules(t.ctx), runFraudRules(t.ctx), runFraudRules(t.ctx)]);
      for (const r of results) expect(r === null || JSON.stringify(r) === JSON.stringify(only())).toBe(true);
      const { rows } = await t.ctx.pool.query('SELECT rule, count(*)::int AS n FROM fraud_flags GROUP BY rule ORDER BY rule');
      expect(rows).toEqual(
        RULES.slice()
          .sort()
          .map((rule) => ({ rule, n: 1 })),
      );
    });

    it('counts detections per rule on /metrics', async () => {
      const body = (await t.app.inject({ method: 'GET', url: '/metrics', headers: { 'x-service-key': SERVICE_KEY } })).body;
      for (const rule of RULES) expect(body).toContain(`fraud_detections_total{rule="${rule}"} 1`);
    });
  });

  describe('operator decisions', () => {
    it('confirming a flag makes the next payment of that account need an OTP; dismissing does not', async () => {
      const flags = (await call(t, 'GET', '/api/fraud/flags?status=OPEN', operator.token)).json().flags as {
        id: string;
        rule: string;
        user_id: string;
      }[];
      const daily = flags.find((f) => f.rule === 'account_daily_volume')!;
      const bulk = flags.find((f) => f.rule === 'bulk_allocation')!;
      const confirmed = await call(t, 'POST', `/api/fraud/flags/${daily.id}/confirm`, operator.token);
      expect(confirmed.json()).toMatchObject({ status: 'CONFIRMED', decided_by: operator.id });
      expect((await call(t, 'POST', `/api/fraud/flags/${daily.id}/dismiss`, operator.token)).json().error_code).toBe('CONFLICT');
      expect((await call(t, 'POST', `/api/fraud/flags/${bulk.id}/dismiss`, operator.token)).json().status).toBe('DISMISSED');

      const flaggedToken = await tokenFor(t, daily.user_id, 'fan');
      const r = await call(t, 'POST', '/api/reserve', flaggedToken, { seat_id: (await seats(CHAMBER, 1))[0] }, '192.0.2.200');
      const pay = await call(t, 'POST', '/api/pay', flaggedToken, { order_id: r.json().data.order_id }, '192.0.2.200');
      expect([pay.statusCode, pay.json().error_code]).toEqual([428, 'OTP_REQUIRED']);

      const clearedToken = await tokenFor(t, bulk.user_id, 'fan');
      const r2 = await call(t, 'POST', '/api/reserve', clearedToken, { seat_id: (await seats(ARENA, 1))[0] }, '192.0.2.201');
      expect((await call(t, 'POST', '/api/pay', clearedToken, { order_id: r2.json().data.order_id }, '192.0.2.201')).statusCode).toBe(200);
    });

    it('only operators decide; service keys and fans may not', async () => {
      const open = (await call(t, 'GET', '/api/fraud/flags?status=OPEN', operator.token)).json().flags[0];
      expect((await t.app.inject({ method: 'GET', url: '/api/fraud/flags', headers: { 'x-service-key': SERVICE_KEY } })).statusCode).toBe(
        200,
      );
      expect((await call(t, 'GET', '/api/fraud/flags', fan.token)).statusCode).toBe(403);
      expect((await call(t, 'POST', `/api/fraud/flags/${open.id}/confirm`, fan.token)).statusCode).toBe(403);
      expect(
        (await t.app.inject({ method: 'POST', url: `/api/fraud/flags/${open.id}/confirm`, headers: { 'x-service-key': SERVICE_KEY } }))
          .statusCode,
      ).toBe(401);
      expect((await call(t, 'POST', '/api/fraud/flags/not-a-uuid/confirm', operator.token)).json().error_code).toBe('INVALID_UUID');
      expect((await call(t, 'POST', `/api/fraud/flags/${open.id}/approve`, operator.token)).statusCode).toBe(400);
      expect(
        (await call(t, 'POST', '/api/fraud/flags/7b1f0c1e-3c44-4d6c-9a51-2f0d2b3c4d5e/confirm', operator.token)).json().error_code,
      ).toBe('FLAG_NOT_FOUND');
      expect((await call(t, 'GET', '/api/fraud/flags?status=MAYBE', operator.token)).json().error_code).toBe('VALIDATION_ERROR');
    });
  });
});

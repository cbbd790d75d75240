import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, createTestApp, demoUser, type TestApp } from './helpers/app.js';
import { ARENA, balanceCents, call, freeSeats, orderRow, seatRow } from './helpers/commerce.js';

type User = { id: string; token: string };

describe('OTP for flagged purchases, and the SMS outbox', () => {
  let t: TestApp;
  let flagged: User;
  let fan: User;
  let operator: User;
  let staff: User;
  let admin: User;
  let seats: string[];
  let next = 0;
  // Each test speaks from its own address so the per-address limit only bites where it is tested.
  let ipCounter = 0;
  const freshIp = () => `10.0.0.${++ipCounter}`;

  beforeAll(async () => {
    // Holds outlive the 5-minute codes here, so code expiry can be tested on its own.
    t = await createTestApp({
      seed: true,
      env: { HOLD_TTL_SECONDS: '1200', RATE_LIMIT_OTP_PER_MINUTE: '5', RATE_LIMIT_ADDRESS_PER_MINUTE: '40' },
    });
    [flagged, fan, operator, staff, admin] = await Promise.all([
      demoUser(t, DEMO.flagged),
      demoUser(t, DEMO.fan),
      demoUser(t, DEMO.operator),
      demoUser(t, DEMO.staff),
      demoUser(t, DEMO.admin),
    ]);
    seats = await freeSeats(t, ARENA, 20, { category: 'CAT3' });
  });
  afterAll(async () => t?.close());

  /** The code of the newest SMS to a user, read the way an admin of a development server would: GET /api/ops/outbox. */
  async function latestCode(userId: string): Promise<string> {
    const res = await call(t, 'GET', '/api/ops/outbox?per_page=100', admin.token);
    expect(res.statusCode).toBe(200);
    const msg = res.json().data.find((m: { user_id: string }) => m.user_id === userId);
    const code = /\b(\d{6})\b/.exec(msg?.text ?? '')?.[1];
    if (!code) throw new Error('no code in the outbox');
    return code;
  }

  async function otpRequiredOrder(): Promise<{ orderId: string; seatId: string }> {
    // A minute later on the test clock: the per-user sending limit starts afresh for every test.
    t.clock.advance(61_000);
    const seatId = seats[next++]!;
    const orderId = (await call(t, 'POST', '/api/reserve', flagged.token, { seat_id: seatId })).json().data.order_id;
    const res = await call(t, 'POST', '/api/pay', flagged.token, { order_id: orderId });
    expect(res.statusCode).toBe(428);
    expect(res.json().error_code).toBe('OTP_REQUIRED');
    return { orderId, seatId };
  }

  const verify = (orderId: string, code: string, ip: string, token = flagged.token, extra: object = {}) =>
    call(t, 'POST', '/api/verify-otp', token, { otp_code: code, context: 'purchase', reference_id: orderId, ...extra }, ip);

  const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

  it('flagged user: OTP_REQUIRED, code by SMS, verify-otp, then the payment goes through', async () => {
    const ip = freshIp();
    const { orderId, seatId } = await otpRequiredOrder();
    const code = await latestCode(flagged.id);
    const { rows } = await t.ctx.pool.query('SELECT code_hash, expires_at, created_at FROM otp_challenges WHERE reference_id = $1', [
      orderId,
    ]);
    expect(rows).toHaveLength(1);
    expect(rows[0].code_hash).not.toContain(code);
    expect(rows[0].expires_at.getTime() - rows[0].created_at.getTime()).toBe(300_000);

    const res = await verify(orderId, code, ip, flagged.token, { user_id: flagged.id });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ success: true, data: { verified: true, message: 'OTP verified. You may proceed.' } });
    expect((await orderRow(t, orderId)).otp_verified_at).not.toBeNull();

    const before = await balanceCents(t, flagged.id);
    const paid = await call(t, 'POST', '/api/pay', flagged.token, { order_id: orderId });
    expect(paid.statusCode).toBe(200);
    expect(await balanceCents(t, flagged.id)).toBe(before - 120_00);
    expect((await seatRow(t, seatId)).status).toBe('SOLD');
  });

  it('OTP_INVALID (401) for a wrong code, saying how many attempts are left', async () => {
    const ip = freshIp();
    const { orderId } = await otpRequiredOrder();
    const code = await latestCode(flagged.id);
    const res = await verify(orderId, wrong(code), ip);
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ error_code: 'OTP_INVALID' });
    expect(res.json().message).toMatch(/2 attempts left/);
    expect((await orderRow(t, orderId)).otp_verified_at).toBeNull();
    expect((await call(t, 'POST', '/api/pay', flagged.token, { order_id: orderId })).statusCode).toBe(428);
  });

  it('OTP_EXPIRED (410) after 5 minutes; paying again sends a fresh code that works', async () => {
    const ip = freshIp();
    const { orderId } = await otpRequiredOrder();
    const old = await latestCode(flagged.id);
    // The clock only moves forward in this file: codes sent "in the future" would count against the sending limit.
    t.clock.advance(301_000);
    const res = await verify(orderId, old, ip);
    expect(res.statusCode).toBe(410);
    expect(res.json().error_code).toBe('OTP_EXPIRED');
    expect((await call(t, 'POST', '/api/pay', flagged.token, { order_id: orderId })).json().error_code).toBe('OTP_REQUIRED');
    const fresh = await latestCode(flagged.id);
    expect((await verify(orderId, fresh, ip)).statusCode).toBe(200);
    expect((await call(t, 'POST', '/api/pay', flagged.token, { order_id: orderId })).statusCode).toBe(200);
  });

  it('OTP_MAX_RETRIES (429) on the third wrong code: order FAILED, seat released, the right code no longer helps', async () => {
    const ip = freshIp();
    const { orderId, seatId } = await otpRequiredOrder();
    const code = await latestCode(flagged.id);
    expect((await verify(orderId, wrong(code), ip)).json().error_code).toBe('OTP_INVALID');
    expect((await verify(orderId, wrong(code), ip)).json().error_code).toBe('OTP_INVALID');
    const third = await verify(orderId, wrong(code), ip);
    expect(third.statusCode).toBe(429);
    expect(third.json().error_code).toBe('OTP_MAX_RETRIES');
    expect((await orderRow(t, orderId)).status).toBe('FAILED');
    expect(await seatRow(t, seatId)).toMatchObject({ status: 'AVAILABLE', held_by: null });
    expect((await verify(orderId, code, ip)).json().error_code).toBe('OTP_MAX_RETRIES');
    const pay = await call(t, 'POST', '/api/pay', flagged.token, { order_id: orderId });
    expect(pay.statusCode).toBe(409);
    expect(pay.json().error_code).toBe('SEAT_NOT_HELD');
  });

  it("ORDER_NOT_FOUND (404) for an unknown order or someone else's; FORBIDDEN (403) for another user_id", async () => {
    const ip = freshIp();
    const { orderId } = await otpRequiredOrder();
    const code = await latestCode(flagged.id);
    expect((await verify(randomUUID(), code, ip)).json().error_code).toBe('ORDER_NOT_FOUND');
    const byFan = await verify(orderId, code, ip, fan.token);
    expect(byFan.statusCode).toBe(404);
    expect(byFan.json().error_code).toBe('ORDER_NOT_FOUND');
    const forbidden = await verify(orderId, code, ip, fan.token, { user_id: flagged.id });
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json().error_code).toBe('FORBIDDEN');
    // None of these spent one of the three attempts.
    expect((await verify(orderId, code, ip)).statusCode).toBe(200);
  });

  it('VALIDATION_ERROR (400) for a malformed code, context or reference; UNAUTHORIZED without a token', async () => {
    const ip = freshIp();
    const body = { otp_code: '123456', context: 'purchase', reference_id: randomUUID() };
    for (const bad of [{ otp_code: '12345' }, { otp_code: 'abcdef' }, { context: 'refund' }, { reference_id: 'x' }]) {
      const res = await call(t, 'POST', '/api/verify-otp', flagged.token, { ...body, ...bad }, ip);
      expect(res.statusCode).toBe(400);
      expect(res.json().error_code).toBe('VALIDATION_ERROR');
    }
    expect((await call(t, 'POST', '/api/verify-otp', undefined, body, ip)).statusCode).toBe(401);
  });

  it('rate-limits /api/verify-otp per client address (RATE_LIMITED, 429)', async () => {
    const ip = freshIp();
    const body = { otp_code: '000000', context: 'purchase', reference_id: randomUUID() };
    const limit = t.config.RATE_LIMIT_ADDRESS_PER_MINUTE;
    const answers = [];
    for (let i = 0; i < limit + 1; i++) answers.push(await call(t, 'POST', '/api/verify-otp', flagged.token, body, ip));
    expect(answers.slice(0, limit).every((a) => a.statusCode === 404)).toBe(true);
    expect(answers[limit]!.statusCode).toBe(429);
    expect(answers[limit]!.json().error_code).toBe('RATE_LIMITED');
    expect(answers[limit]!.headers['retry-after']).toBeDefined();
    expect((await call(t, 'POST', '/api/verify-otp', flagged.token, body, freshIp())).statusCode).toBe(404);
  });

  it('rate-limits sending: more codes than RATE_LIMIT_OTP_PER_MINUTE in a minute answer RATE_LIMITED', async () => {
    t.clock.advance(61_000);
    const seatId = seats[next++]!;
    const orderId = (await call(t, 'POST', '/api/reserve', flagged.token, { seat_id: seatId })).json().data.order_id;
    const codes = [];
    for (let i = 0; i < t.config.RATE_LIMIT_OTP_PER_MINUTE + 1; i++) {
      codes.push((await call(t, 'POST', '/api/pay', flagged.token, { order_id: orderId })).json().error_code);
    }
    expect(codes.slice(0, -1).every((c) => c === 'OTP_REQUIRED')).toBe(true);
    expect(codes.at(-1)).toBe('RATE_LIMITED');
  });

  it("dispatches by context to the context's flow handler, and refuses a flow the server lacks", async () => {
    const seen: unknown[] = [];
    const own = await createTestApp({
      seed: true,
      context: { otpFlows: { transfer: { verify: async (_ctx, input) => void seen.push(input) } } },
    });
    try {
      const user = await demoUser(own, DEMO.fan);
      const reference = randomUUID();
      const res = await call(own, 'POST', '/api/verify-otp', user.token, {
        otp_code: '654321',
        context: 'transfer',
        reference_id: reference,
      });
      expect(res.statusCode).toBe(200);
      expect(seen).toEqual([{ userId: user.id, referenceId: reference, code: '654321' }]);
      const missing = await call(own, 'POST', '/api/verify-otp', user.token, {
        otp_code: '654321',
        context: 'purchase',
        reference_id: reference,
      });
      expect(missing.statusCode).toBe(400);
      expect(missing.json().error_code).toBe('VALIDATION_ERROR');
    } finally {
      await own.close();
    }
  });

  describe('GET /api/ops/outbox', () => {
    it('shows admins every message newest first: recipient, phone, text, time; paginated', async () => {
      expect((await call(t, 'GET', '/api/ops/outbox', operator.token)).json().error_code).toBe('FORBIDDEN');
      const all = (await call(t, 'GET', '/api/ops/outbox?per_page=100', admin.token)).json();
      expect(all.pagination).toMatchObject({ page: 1, per_page: 100 });
      expect(all.data.length).toBeGreaterThan(2);
      expect(all.pagination.total).toBe(all.data.length);
      const ids = all.data.map((m: { id: number }) => m.id);
      expect(ids).toEqual([...ids].sort((a, b) => b - a));
      expect(all.data[0]).toMatchObject({ user_id: flagged.id, phone: '+6591000003', text: expect.stringMatching(/\d{6}/) });
      // Seats are named as in every other SMS (sms-text.ts): label and event.
      expect(all.data[0].text).toMatch(/your purchase of seat [A-Z]+-\d+ \(.+\) for \d+\.\d{2} credits/);
      expect(new Date(all.data[0].created_at).toISOString()).toBe(all.data[0].created_at);

      const page2 = (await call(t, 'GET', '/api/ops/outbox?per_page=2&page=2', admin.token)).json();
      expect(page2.data.map((m: { id: number }) => m.id)).toEqual(ids.slice(2, 4));
      expect(page2.pagination).toEqual({
        page: 2,
        per_page: 2,
        total: all.pagination.total,
        total_pages: Math.ceil(all.pagination.total / 2),
      });
    });

    it('is refused to fans and staff (FORBIDDEN) and to anonymous callers (UNAUTHORIZED); bad paging is VALIDATION_ERROR', async () => {
      expect((await call(t, 'GET', '/api/ops/outbox', fan.token)).json().error_code).toBe('FORBIDDEN');
      expect((await call(t, 'GET', '/api/ops/outbox', staff.token)).statusCode).toBe(403);
      expect((await call(t, 'GET', '/api/ops/outbox')).statusCode).toBe(401);
      expect((await call(t, 'GET', '/api/ops/outbox?per_page=1000', admin.token)).json().error_code).toBe('VALIDATION_ERROR');
    });
  });
});

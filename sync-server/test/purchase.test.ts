import { randomUUID } from 'node:crypto';
import { openSession } from '../src/domain/auth/sessions.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepExpiredHolds } from '../src/domain/purchase/sweep-expired-holds.js';
import { DEMO, createTestApp, demoUser, type TestApp } from './helpers/app.js';
import { latestChange } from './helpers/db.js';
import {
  ARENA,
  PAST,
  balanceCents,
  buySeat,
  call,
  createFans,
  eventIdOf,
  freeSeats,
  ledgerMatchesBalance,
  orderRow,
  seatRow,
} from './helpers/commerce.js';

type User = { id: string; token: string };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('reserve and pay', () => {
  let t: TestApp;
  let fan: User;
  let fan2: User;
  let admin: User;
  let flagged: User;
  let seats: string[];
  let next = 0;
  const seat = () => seats[next++]!;

  beforeAll(async () => {
    t = await createTestApp({ seed: true });
    [fan, fan2, admin, flagged] = await Promise.all([
      demoUser(t, DEMO.fan),
      demoUser(t, DEMO.fan2),
      demoUser(t, DEMO.admin),
      demoUser(t, DEMO.flagged),
    ]);
    // CAT3 (120.00) seats for the many small purchases; CAT1 ones are fetched where the price matters.
    seats = await freeSeats(t, ARENA, 60, { category: 'CAT3' });
  });
  afterAll(async () => t?.close());

  describe('POST /api/reserve', () => {
    it("holds the seat for HOLD_TTL_SECONDS, opens a PENDING order and moves the event's latest change", async () => {
      const s = seat();
      const eventId = await eventIdOf(t, ARENA);
      const seqBefore = await latestChange(t.ctx.pool, eventId);
      const before = t.clock.now();
      const res = await call(t, 'POST', '/api/reserve', fan.token, { seat_id: s, user_id: fan.id });
      expect(res.statusCode).toBe(200);
      const data = res.json().data;
      expect(data).toMatchObject({ seat_id: s, status: 'HELD', ttl_seconds: 300 });
      expect(data.message).toMatch(/5 minutes/);
      const heldUntil = Date.parse(data.held_until);
      expect(heldUntil).toBeGreaterThanOrEqual(before + 299_000);
      expect(heldUntil).toBeLessThanOrEqual(t.clock.now() + 300_000);
      const row = await seatRow(t, s);
      expect(row).toMatchObject({ status: 'HELD', held_by: fan.id });
      expect(row.held_until!.getTime()).toBe(heldUntil);
      expect(await orderRow(t, data.order_id)).toMatchObject({ status: 'PENDING', user_id: fan.id, amount_cents: 120_00 });
      const seqAfter = await latestChange(t.ctx.pool, eventId);
      expect(seqAfter).toBeGreaterThan(seqBefore);
      expect(row.seq).toBe(seqAfter);
    });

    it('returns the same order when the user reserves a seat they already hold', async () => {
      const s = seat();
      const first = (await call(t, 'POST', '/api/reserve', fan.token, { seat_id: s })).json().data;
      const again = await call(t, 'POST', '/api/reserve', fan.token, { seat_id: s });
      expect(again.statusCode).toBe(200);
      expect(again.json().data).toMatchObject({ order_id: first.order_id, held_until: first.held_until, status: 'HELD' });
      const { rows } = await t.ctx.pool.query('SELECT count(*)::int AS n FROM orders WHERE seat_id = $1', [s]);
      expect(rows[0].n).toBe(1);
    });

    it('SEAT_UNAVAILABLE (409) when another user holds the seat', async () => {
      const s = seat();
      await call(t, 'POST', '/api/reserve', fan.token, { seat_id: s });
      const res = await call(t, 'POST', '/api/reserve', fan2.token, { seat_id: s });
      expect(res.statusCode).toBe(409);
      expect(res.json()).toMatchObject({ success: false, error_code: 'SEAT_UNAVAILABLE' });
      expect((await seatRow(t, s)).held_by).toBe(fan.id);
    });

    it('SEAT_UNAVAILABLE (409) at once when the seat row is locked by another transaction (NOWAIT)', async () => {
      const s = seat();
      const locker = await t.ctx.pool.connect();
      try {
        await locker.query('BEGIN');
        await locker.query('SELECT 1 FROM seats WHERE id = $1 FOR UPDATE', [s]);
        const res = await call(t, 'POST', '/api/reserve', fan2.token, { seat_id: s });
        expect(res.statusCode).toBe(409);
        expect(res.json().error_code).toBe('SEAT_UNAVAILABLE');
      } finally {
        await locker.query('ROLLBACK');
        locker.release();
      }
      expect((await seatRow(t, s)).status).toBe('AVAILABLE');
    });

    it('SEAT_ALREADY_SOLD (409) for SOLD and CHECKED_IN seats', async () => {
      const sold = seat();
      await buySeat(t, fan.token, sold);
      const res = await call(t, 'POST', '/api/reserve', fan2.token, { seat_id: sold });
      expect(res.statusCode).toBe(409);
      expect(res.json().error_code).toBe('SEAT_ALREADY_SOLD');
      await t.ctx.pool.query(`UPDATE seats SET status = 'CHECKED_IN', checked_in_at = now() WHERE id = $1`, [sold]);
      const again = await call(t, 'POST', '/api/reserve', fan.token, { seat_id: sold });
      expect(again.json().error_code).toBe('SEAT_ALREADY_SOLD');
    });

    it('SEAT_NOT_FOUND (404) for an unknown seat', async () => {
      const res = await call(t, 'POST', '/api/reserve', fan.token, { seat_id: randomUUID() });
      expect(res.statusCode).toBe(404);
      expect(res.json().error_code).toBe('SEAT_NOT_FOUND');
    });

    it('EVENT_ENDED (410) for a seat of a past event', async () => {
      const [past] = await freeSeats(t, PAST, 1);
      const res = await call(t, 'POST', '/api/reserve', fan.token, { seat_id: past });
      expect(res.statusCode).toBe(410);
      expect(res.json().error_code).toBe('EVENT_ENDED');
      expect((await seatRow(t, past!)).status).toBe('AVAILABLE');
    });

    it('UNAUTHORIZED (401) for a token of a user without a session (no such user); FORBIDDEN for another user_id', async () => {
      const { token: ghost } = await t.ctx.signer.sign({
        userId: randomUUID(),
        role: 'fan',
        typ: 'access',
        ttlSeconds: 900,
        session: randomUUID(),
      });
      const res = await call(t, 'POST', '/api/reserve', ghost, { seat_id: seat() });
      expect(res.statusCode).toBe(401);
      expect(res.json().error_code).toBe('UNAUTHORIZED');
      const forGhost = await call(t, 'POST', '/api/reserve', admin.token, { seat_id: seat(), user_id: randomUUID() });
      expect(forGhost.json().error_code).toBe('FORBIDDEN');
    });

    it("FORBIDDEN (403) when the body's user_id is someone else, even for an admin", async () => {
      const s = seat();
      const res = await call(t, 'POST', '/api/reserve', fan2.token, { seat_id: s, user_id: fan.id });
      expect(res.statusCode).toBe(403);
      expect(res.json().error_code).toBe('FORBIDDEN');
      expect((await seatRow(t, s)).status).toBe('AVAILABLE');
      const byAdmin = await call(t, 'POST', '/api/reserve', admin.token, { seat_id: s, user_id: fan2.id });
      expect(byAdmin.json().error_code).toBe('FORBIDDEN');
      expect((await seatRow(t, s)).status).toBe('AVAILABLE');
    });

    it('VALIDATION_ERROR (400) for a malformed body; UNAUTHORIZED without or with a logged-out token', async () => {
      const bad = await call(t, 'POST', '/api/reserve', fan.token, { seat_id: 'nope' });
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toMatchObject({ error_code: 'VALIDATION_ERROR', details: [{ field: 'body.seat_id' }] });
      expect((await call(t, 'POST', '/api/reserve', fan.token, {})).json().error_code).toBe('VALIDATION_ERROR');
      expect((await call(t, 'POST', '/api/reserve', undefined, { seat_id: seat() })).statusCode).toBe(401);

      const session = await openSession(t.ctx.pool, fan.id, Date.now());
      const { token } = await t.ctx.signer.sign({ userId: fan.id, role: 'fan', typ: 'access', ttlSeconds: 900, session });
      await t.ctx.pool.query(`UPDATE sessions SET ended_at = now(), end_reason = 'LOGOUT' WHERE id = $1`, [session]);
      const out = await call(t, 'POST', '/api/reserve', token, { seat_id: seat() });
      expect(out.statusCode).toBe(401);
      expect(out.json().error_code).toBe('UNAUTHORIZED');
    });

    it('lets another user take a hold that ran out before the sweeper came; the old order expires', async () => {
      const s = seat();
      const old = (await call(t, 'POST', '/api/reserve', fan.token, { seat_id: s })).json().data.order_id;
      t.clock.advance(301_000);
      try {
        const res = await call(t, 'POST', '/api/reserve', fan2.token, { seat_id: s });
        expect(res.statusCode).toBe(200);
        expect(res.json().data.order_id).not.toBe(old);
        expect((await orderRow(t, old)).status).toBe('EXPIRED');
        expect((await seatRow(t, s)).held_by).toBe(fan2.id);
      } finally {
        t.clock.advance(-301_000);
      }
    });
  });

  describe('POST /api/pay', () => {
    it('debits the price, sells the seat to the user and confirms the order in one go', async () => {
      const [cat1] = await freeSeats(t, ARENA, 1, { category: 'CAT1' });
      const before = await balanceCents(t, fan2.id);
      const reserved = (await call(t, 'POST', '/api/reserve', fan2.token, { seat_id: cat1 })).json().data;
      const res = await call(t, 'POST', '/api/pay', fan2.token, { order_id: reserved.order_id });
      expect(res.statusCode).toBe(200);
      expect(res.json().data).toEqual({
        order_id: reserved.order_id,
        seat_id: cat1,
        status: 'CONFIRMED',
        credits_charged: 350,
        remaining_balance: (before - 350_00) / 100,
        message: 'Purchase confirmed! Your ticket is ready.',
      });
      expect(await seatRow(t, cat1!)).toMatchObject({ status: 'SOLD', owner_user_id: fan2.id, held_by: null, held_until: null });
      expect((await orderRow(t, reserved.order_id)).status).toBe('CONFIRMED');
      expect(await balanceCents(t, fan2.id)).toBe(before - 350_00);
      const ledger = await t.ctx.pool.query(
        `SELECT amount_cents, kind, reference_id FROM credit_ledger WHERE user_id = $1 AND kind = 'PURCHASE' AND reference_id = $2`,
        [fan2.id, reserved.order_id],
      );
      expect(ledger.rows).toEqual([{ amount_cents: -350_00, kind: 'PURCHASE', reference_id: reserved.order_id }]);
      expect(await ledgerMatchesBalance(t, fan2.id)).toBe(true);
    });

    it('ORDER_NOT_FOUND (404) for an unknown order', async () => {
      const res = await call(t, 'POST', '/api/pay', fan.token, { order_id: randomUUID() });
      expect(res.statusCode).toBe(404);
      expect(res.json().error_code).toBe('ORDER_NOT_FOUND');
    });

    it('ORDER_ALREADY_CONFIRMED (409) on a second payment, charging once', async () => {
      const order = await buySeat(t, fan.token, seat());
      const before = await balanceCents(t, fan.id);
      const res = await call(t, 'POST', '/api/pay', fan.token, { order_id: order });
      expect(res.statusCode).toBe(409);
      expect(res.json().error_code).toBe('ORDER_ALREADY_CONFIRMED');
      expect(await balanceCents(t, fan.id)).toBe(before);
    });

    it('two payments of one order at once: one CONFIRMED, one ORDER_ALREADY_CONFIRMED, one debit', async () => {
      const s = seat();
      const order = (await call(t, 'POST', '/api/reserve', fan.token, { seat_id: s })).json().data.order_id;
      const before = await balanceCents(t, fan.id);
      const answers = await Promise.all([1, 2].map(() => call(t, 'POST', '/api/pay', fan.token, { order_id: order })));
      expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 409]);
      expect(answers.find((a) => a.statusCode === 409)!.json().error_code).toBe('ORDER_ALREADY_CONFIRMED');
      expect(await balanceCents(t, fan.id)).toBe(before - 120_00);
    });

    it('HOLD_EXPIRED (410) after held_until: the seat is released and the order expired in that request', async () => {
      const s = seat();
      const order = (await call(t, 'POST', '/api/reserve', fan.token, { seat_id: s })).json().data.order_id;
      const before = await balanceCents(t, fan.id);
      t.clock.advance(300_500);
      try {
        const res = await call(t, 'POST', '/api/pay', fan.token, { order_id: order });
        expect(res.statusCode).toBe(410);
        expect(res.json().error_code).toBe('HOLD_EXPIRED');
        expect(await seatRow(t, s)).toMatchObject({ status: 'AVAILABLE', held_by: null });
        expect((await orderRow(t, order)).status).toBe('EXPIRED');
        expect(await balanceCents(t, fan.id)).toBe(before);
        const again = await call(t, 'POST', '/api/pay', fan.token, { order_id: order });
        expect(again.json().error_code).toBe('HOLD_EXPIRED');
      } finally {
        t.clock.advance(-300_500);
      }
    });

    it('INSUFFICIENT_CREDITS (402): nothing changes, the hold stays', async () => {
      const [poor] = await createFans(t, 1, { balanceCents: 100_00, prefix: 'poor' });
      const s = seat();
      const order = (await call(t, 'POST', '/api/reserve', poor!.token, { seat_id: s })).json().data.order_id;
      const res = await call(t, 'POST', '/api/pay', poor!.token, { order_id: order });
      expect(res.statusCode).toBe(402);
      expect(res.json()).toMatchObject({ error_code: 'INSUFFICIENT_CREDITS' });
      expect(res.json().message).toMatch(/120\.00.*100\.00/);
      expect(await balanceCents(t, poor!.id)).toBe(100_00);
      expect((await seatRow(t, s)).status).toBe('HELD');
      expect((await orderRow(t, order)).status).toBe('PENDING');
    });

    it('INSUFFICIENT_CREDITS counts frozen credits as unavailable', async () => {
      const [frozen] = await createFans(t, 1, { balanceCents: 200_00, prefix: 'frozen' });
      await t.ctx.pool.query('UPDATE users SET frozen_cents = 150_00 WHERE id = $1', [frozen!.id]);
      const order = (await call(t, 'POST', '/api/reserve', frozen!.token, { seat_id: seat() })).json().data.order_id;
      const res = await call(t, 'POST', '/api/pay', frozen!.token, { order_id: order });
      expect(res.json().error_code).toBe('INSUFFICIENT_CREDITS');
    });

    it('OTP_REQUIRED (428) for a flagged user: nothing is charged and a code goes to the outbox', async () => {
      const s = seat();
      const order = (await call(t, 'POST', '/api/reserve', flagged.token, { seat_id: s })).json().data.order_id;
      const before = await balanceCents(t, flagged.id);
      const res = await call(t, 'POST', '/api/pay', flagged.token, { order_id: order });
      expect(res.statusCode).toBe(428);
      expect(res.json().error_code).toBe('OTP_REQUIRED');
      expect(await balanceCents(t, flagged.id)).toBe(before);
      expect((await seatRow(t, s)).status).toBe('HELD');
      const sms = await t.ctx.pool.query('SELECT body FROM sms_outbox WHERE user_id = $1 ORDER BY id DESC LIMIT 1', [flagged.id]);
      expect(sms.rows[0].body).toMatch(/\b\d{6}\b/);
    });

    it('SEAT_NOT_HELD (409) when the seat left HELD under the order', async () => {
      const s = seat();
      const order = (await call(t, 'POST', '/api/reserve', fan.token, { seat_id: s })).json().data.order_id;
      await t.ctx.pool.query(`UPDATE seats SET status = 'AVAILABLE', held_by = NULL, held_until = NULL WHERE id = $1`, [s]);
      const res = await call(t, 'POST', '/api/pay', fan.token, { order_id: order });
      expect(res.statusCode).toBe(409);
      expect(res.json().error_code).toBe('SEAT_NOT_HELD');
    });

    it("FORBIDDEN (403) when a fan pays another fan's order; nothing changes", async () => {
      const s = seat();
      const order = (await call(t, 'POST', '/api/reserve', fan.token, { seat_id: s })).json().data.order_id;
      const before = [await balanceCents(t, fan.id), await balanceCents(t, fan2.id)];
      const res = await call(t, 'POST', '/api/pay', fan2.token, { order_id: order });
      expect(res.statusCode).toBe(403);
      expect(res.json().error_code).toBe('FORBIDDEN');
      expect([await balanceCents(t, fan.id), await balanceCents(t, fan2.id)]).toEqual(before);
      expect((await orderRow(t, order)).status).toBe('PENDING');
    });

    it('VALIDATION_ERROR (400) for a malformed order id', async () => {
      const res = await call(t, 'POST', '/api/pay', fan.token, { order_id: '123' });
      expect(res.statusCode).toBe(400);
      expect(res.json().error_code).toBe('VALIDATION_ERROR');
    });
  });

  it('documents every endpoint of purchase, OTP, credits, tickets and verification in /docs, error codes included', async () => {
    const spec = (await t.app.inject({ method: 'GET', url: '/docs/json' })).json();
    const endpoints: [string, string, string[]][] = [
      ['/api/reserve', 'post', ['SEAT_UNAVAILABLE', 'SEAT_ALREADY_SOLD', 'SEAT_NOT_FOUND', 'EVENT_ENDED', 'USER_NOT_FOUND', 'FORBIDDEN']],
      [
        '/api/pay',
        'post',
        ['HOLD_EXPIRED', 'INSUFFICIENT_CREDITS', 'OTP_REQUIRED', 'ORDER_NOT_FOUND', 'ORDER_ALREADY_CONFIRMED', 'SEAT_NOT_HELD'],
      ],
      ['/api/verify-otp', 'post', ['OTP_INVALID', 'OTP_EXPIRED', 'OTP_MAX_RETRIES', 'RATE_LIMITED']],
      ['/api/credits/balance', 'get', ['FORBIDDEN']],
      ['/api/credits/topup', 'post', ['VALIDATION_ERROR', 'INTERNAL_ERROR']],
      ['/api/webhooks/stripe', 'post', ['VALIDATION_ERROR']],
      ['/api/tickets', 'get', ['UNAUTHORIZED']],
      ['/api/tickets/{seat_id}/qr', 'get', ['NOT_SEAT_OWNER', 'SEAT_NOT_FOUND', 'SEAT_UNAVAILABLE']],
      ['/api/verify', 'post', ['QR_INVALID', 'FORBIDDEN']],
      ['/api/ops/outbox', 'get', ['FORBIDDEN']],
    ];
    for (const [path, method, codes] of endpoints) {
      const op = spec.paths[path]?.[method];
      expect(op, `${method} ${path}`).toBeDefined();
      expect(op.summary).toBeTruthy();
      expect(op.responses['200']).toBeDefined();
      for (const code of codes) expect(op.description, `${path} ${code}`).toContain(`\`${code}\``);
      if (method === 'post') expect(op.requestBody ?? op.parameters, path).toBeDefined();
    }
    expect(Object.keys(spec.paths['/api/pay'].post.responses).sort()).toEqual([
      '200',
      '400',
      '401',
      '402',
      '403',
      '404',
      '409',
      '410',
      '428',
      '429',
    ]);
  });

  describe('hold sweeper', () => {
    it('is registered as a background job', () => {
      expect(t.ctx.jobs.map((j) => j.name)).toContain('hold-sweeper');
    });

    it('releases expired holds and expires their orders, leaving live holds and sold seats alone', async () => {
      const [expiring, live, sold] = [seat(), seat(), seat()];
      const expiringOrder = (await call(t, 'POST', '/api/reserve', fan.token, { seat_id: expiring })).json().data.order_id;
      const soldOrder = await buySeat(t, fan.token, sold!);
      t.clock.advance(200_000);
      const liveOrder = (await call(t, 'POST', '/api/reserve', fan2.token, { seat_id: live })).json().data.order_id;
      t.clock.advance(101_000);
      try {
        const swept = await sweepExpiredHolds(t.ctx);
        expect(swept.seats).toBeGreaterThanOrEqual(1);
        expect(swept.orders).toBe(swept.seats);
        expect(await seatRow(t, expiring!)).toMatchObject({ status: 'AVAILABLE', held_by: null, held_until: null });
        expect((await orderRow(t, expiringOrder)).status).toBe('EXPIRED');
        expect(await seatRow(t, live!)).toMatchObject({ status: 'HELD', held_by: fan2.id });
        expect((await orderRow(t, liveOrder)).status).toBe('PENDING');
        expect(await seatRow(t, sold!)).toMatchObject({ status: 'SOLD', owner_user_id: fan.id });
        expect((await orderRow(t, soldOrder)).status).toBe('CONFIRMED');
        expect(await sweepExpiredHolds(t.ctx)).toEqual({ seats: 0, orders: 0 });
      } finally {
        t.clock.advance(-301_000);
        await sweepExpiredHolds(t.ctx);
      }
    });

    it('never releases a hold that was renewed after it had run out', async () => {
      const s = seat();
      const first = (await call(t, 'POST', '/api/reserve', fan.token, { seat_id: s })).json().data.order_id;
      t.clock.advance(301_000);
      try {
        const renewed = (await call(t, 'POST', '/api/reserve', fan.token, { seat_id: s })).json().data;
        expect(renewed.order_id).not.toBe(first);
        expect(renewed.ttl_seconds).toBe(300);
        await sweepExpiredHolds(t.ctx);
        expect(await seatRow(t, s)).toMatchObject({ status: 'HELD', held_by: fan.id });
        expect((await orderRow(t, renewed.order_id)).status).toBe('PENDING');
        expect((await orderRow(t, first)).status).toBe('EXPIRED');
      } finally {
        t.clock.advance(-301_000);
      }
    });
  });
});

describe('purchase under concurrency', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ seed: true });
  });
  afterAll(async () => t?.close());

  it('200 concurrent reserves from 100 users for 20 seats: exactly 20 holds, every other answer 409, no 5xx', async () => {
    const users = await createFans(t, 100, { prefix: 'rush' });
    const seats = await freeSeats(t, ARENA, 20, { category: 'CAT2' });
    // Each user tries two seats; every seat is wanted by ten users at once.
    const attempts = users.flatMap((u, i) => [seats[i % 20]!, seats[(i * 7 + 3) % 20]!].map((s) => ({ u, s })));
    const answers = await Promise.all(attempts.map(({ u, s }) => call(t, 'POST', '/api/reserve', u.token, { seat_id: s })));

    const statuses = answers.map((a) => a.statusCode);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    const codes = new Set(answers.filter((a) => a.statusCode !== 200).map((a) => a.json().error_code));
    for (const c of codes) expect(['SEAT_UNAVAILABLE', 'SEAT_ALREADY_SOLD']).toContain(c);
    const wins = answers.filter((a) => a.statusCode === 200).map((a) => a.json().data);
    expect(new Set(wins.map((w) => w.seat_id)).size).toBe(20);
    // A user who won a seat twice in the same burst gets the same order back, never a second one.
    expect(new Set(wins.map((w) => w.order_id)).size).toBe(20);

    const { rows } = await t.ctx.pool.query(
      `SELECT s.id, s.status, s.held_by, count(o.id)::int AS pending, min(o.user_id::text) AS order_user
         FROM seats s LEFT JOIN orders o ON o.seat_id = s.id AND o.status = 'PENDING'
        WHERE s.id = ANY($1::uuid[]) GROUP BY s.id`,
      [seats],
    );
    expect(rows).toHaveLength(20);
    for (const r of rows) {
      expect(r.status).toBe('HELD');
      expect(r.pending).toBe(1);
      expect(r.order_user).toBe(r.held_by);
    }
  });

  it('pay racing the sweeper at the moment of expiry: every seat ends either sold (charged) or released (not charged)', async () => {
    const users = await createFans(t, 30, { balanceCents: 1000_00, prefix: 'race' });
    const seats = await freeSeats(t, ARENA, 30, { category: 'CAT3' });
    const t0 = Date.now();
    t.clock.set(t0);
    try {
      const orders = await Promise.all(
        users.map(async (u, i) => (await call(t, 'POST', '/api/reserve', u.token, { seat_id: seats[i] })).json().data.order_id as string),
      );
      // Pay sees the last valid instant of the hold; the sweeper, one millisecond later, sees it expired.
      t.clock.set(t0 + 300_000);
      const lateSweeper = { ...t.ctx, now: () => t0 + 300_001 };
      // Payments trickle in while the sweeper runs over and over, so some land before it, some after, some during.
      let paying = true;
      let firstPaid!: () => void;
      const started = new Promise<void>((r) => (firstPaid = r));
      const sweeper = (async () => {
        await started;
        while (paying) {
          await sweepExpiredHolds(lateSweeper);
          await sleep(Math.random() * 3);
        }
      })();
      const answers = await Promise.all(
        users.map(async (u, i) => {
          await sleep(i * 2);
          const answer = await call(t, 'POST', '/api/pay', u.token, { order_id: orders[i] });
          firstPaid();
          return answer;
        }),
      );
      paying = false;
      await sweeper;
      await sweepExpiredHolds(lateSweeper);

      for (const [i, a] of answers.entries()) {
        expect(a.statusCode, a.body).toBeLessThan(500);
        const s = await seatRow(t, seats[i]!);
        const o = await orderRow(t, orders[i]!);
        const charged = 1000_00 - (await balanceCents(t, users[i]!.id));
        if (a.statusCode === 200) {
          expect(s).toMatchObject({ status: 'SOLD', owner_user_id: users[i]!.id });
          expect(o.status).toBe('CONFIRMED');
          expect(charged).toBe(120_00);
        } else {
          expect(['HOLD_EXPIRED', 'SEAT_NOT_HELD']).toContain(a.json().error_code);
          expect(s).toMatchObject({ status: 'AVAILABLE', owner_user_id: null });
          expect(o.status).toBe('EXPIRED');
          expect(charged).toBe(0);
        }
        expect(await ledgerMatchesBalance(t, users[i]!.id)).toBe(true);
      }
    } finally {
      t.clock.real();
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertSeatBlocks, rowLabels } from '../src/domain/catalog/seat-blocks.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { call, createFans } from './helpers/commerce.js';

/**
 * The on-sale rush against the real purchase path (HTTP through inject, real
 * PostgreSQL): 10,000 reservation attempts at once by 200 accounts on the same
 * 1,000 seats, then every winner paying (twice at once), with credits for only
 * some of their seats.
 */
const ACCOUNTS = 200;
const SEATS = 1000;
const ATTEMPTS_PER_ACCOUNT = 50;
const PRICE_CENTS = 25_00;
const AFFORDABLE = 3; // each account can pay for this many seats

describe('on-sale rush', () => {
  let t: TestApp;
  let seatIds: string[];
  let fans: Awaited<ReturnType<typeof createFans>>;

  beforeAll(async () => {
    // Each account wins about five seats here; the per-account hold cap (its own tests) is set out of the way.
    t = await createTestApp({ seed: true, env: { MAX_HOLDS_PER_USER: '50' } });
    const { rows } = await t.ctx.pool.query<{ id: string }>(
      `INSERT INTO events (venue_id, hall_id, name, event_date)
       SELECT venue_id, id, 'Rush Night', now() + interval '7 days' FROM halls WHERE id = 'HALL-A' RETURNING id`,
    );
    const eventId = rows[0]!.id;
    await t.ctx.pool.query(`INSERT INTO event_categories (event_id, category, price_cents) VALUES ($1, 'GA', $2)`, [eventId, PRICE_CENTS]);
    await insertSeatBlocks(t.ctx.pool, eventId, [{ rows: rowLabels(SEATS / 50), seatsPerRow: 50, category: 'GA' }]);
    seatIds = (await t.ctx.pool.query<{ id: string }>('SELECT id FROM seats WHERE event_id = $1 ORDER BY id', [eventId])).rows.map(
      (r) => r.id,
    );
    fans = await createFans(t, ACCOUNTS, { prefix: 'rush', balanceCents: AFFORDABLE * PRICE_CENTS });
  });
  afterAll(async () => t?.close());

  it('10,000 concurrent reserves by 200 accounts on 1,000 seats, then payments: one hold and one sale per seat, exact balances', async () => {
    // Account a tries seats 5a, 5a+7, 5a+14, … (mod 1,000): every seat is wanted by exactly ten different accounts.
    const attempts = fans.flatMap((f, a) =>
      Array.from({ length: ATTEMPTS_PER_ACCOUNT }, (_, k) => ({ f, seat: seatIds[(a * 5 + k * 7) % SEATS]! })),
    );
    expect(attempts).toHaveLength(10_000);
    const answers = await Promise.all(attempts.map(({ f, seat }) => call(t, 'POST', '/api/reserve', f.token, { seat_id: seat })));

    // Every loser gets one of the protocol's error codes, never a 5xx.
    const losers = answers.filter((a) => a.statusCode !== 200);
    expect(new Set(losers.map((a) => `${a.statusCode} ${a.json().error_code}`))).toEqual(new Set(['409 SEAT_UNAVAILABLE']));
    const wins = answers
      .map((a, i) => ({ a, ...attempts[i]! }))
      .filter(({ a }) => a.statusCode === 200)
      .map(({ a, f, seat }) => ({ fan: f, seat, order: a.json().data.order_id as string }));
    // At most one hold per seat: a seat won twice was won by the same account, with the same order.
    const bySeat = new Map<string, { fan: string; order: string }>();
    for (const w of wins) {
      const held = bySeat.get(w.seat);
      if (held) expect(held).toEqual({ fan: w.fan.id, order: w.order });
      else bySeat.set(w.seat, { fan: w.fan.id, order: w.order });
    }
    expect(bySeat.size).toBe(SEATS); // nothing was held before, so every seat has a winner

    // The database agrees: each seat HELD by its winner with exactly one PENDING order, that winner's.
    const { rows: db } = await t.ctx.pool.query<{ id: string; status: string; held_by: string; pending: number; order_id: string }>(
      `SELECT s.id, s.status, s.held_by, count(o.id)::int AS pending, min(o.id::text) AS order_id
         FROM seats s LEFT JOIN orders o ON o.seat_id = s.id AND o.status = 'PENDING'
        WHERE s.id = ANY($1::uuid[]) GROUP BY s.id`,
      [seatIds],
    );
    for (const r of db)
      expect({ status: r.status, held_by: r.held_by, pending: r.pending, order: r.order_id }).toEqual({
        status: 'HELD',
        held_by: bySeat.get(r.id)!.fan,
        pending: 1,
        order: bySeat.get(r.id)!.order,
      });
    const { rows: orders } = await t.ctx.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM orders o JOIN seats s ON s.id = o.seat_id WHERE s.id = ANY($1::uuid[])`,
      [seatIds],
    );
    expect(orders[0]!.n).toBe(SEATS); // no order was opened for a losing attempt

    // Payments: every winning order paid twice at once.
    const tokenOf = new Map(fans.map((f) => [f.id, f.token]));
    const holds = [...bySeat.values()];
    const pays = await Promise.all(
      holds.flatMap((h) => [0, 1].map(() => call(t, 'POST', '/api/pay', tokenOf.get(h.fan), { order_id: h.order }))),
    );
    const pairs = holds.map((h, i) => ({ ...h, answers: [pays[2 * i]!, pays[2 * i + 1]!] }));
    const paidPerFan = new Map<string, number>();
    for (const p of pairs) {
      const outcome = p.answers.map((a) => (a.statusCode === 200 ? 'PAID' : a.json().error_code)).sort();
      // Exactly one payment per order goes through; the twin sees it done, or both are refused for lack of credits.
      expect([
        ['ORDER_ALREADY_CONFIRMED', 'PAID'],
        ['INSUFFICIENT_CREDITS', 'INSUFFICIENT_CREDITS'],
      ]).toContainEqual(outcome);
      if (outcome.includes('PAID')) paidPerFan.set(p.fan, (paidPerFan.get(p.fan) ?? 0) + 1);
    }
    const heldPerFan = new Map<string, number>();
    for (const h of holds) heldPerFan.set(h.fan, (heldPerFan.get(h.fan) ?? 0) + 1);
    for (const [fan, held] of heldPerFan) expect(paidPerFan.get(fan) ?? 0).toBe(Math.min(held, AFFORDABLE));

    // Every seat sold at most once, to the account that paid; every balance exact and explained by the ledger.
    const { rows: sold } = await t.ctx.pool.query<{ owner_user_id: string; n: number }>(
      `SELECT owner_user_id, count(*)::int AS n FROM seats WHERE id = ANY($1::uuid[]) AND status = 'SOLD' GROUP BY owner_user_id`,
      [seatIds],
    );
    expect(new Map(sold.map((r) => [r.owner_user_id, r.n]))).toEqual(paidPerFan);
    const { rows: confirmed } = await t.ctx.pool.query<{ n: number; distinct_seats: number }>(
      `SELECT count(*)::int AS n, count(DISTINCT seat_id)::int AS distinct_seats FROM orders WHERE status = 'CONFIRMED' AND seat_id = ANY($1::uuid[])`,
      [seatIds],
    );
    expect(confirmed[0]).toEqual({ n: [...paidPerFan.values()].reduce((a, b) => a + b, 0), distinct_seats: confirmed[0]!.n });
    const { rows: balances } = await t.ctx.pool.query<{ id: string; balance_cents: number; ledger: number; purchases: number }>(
      `SELECT u.id, u.balance_cents, (SELECT sum(amount_cents) FROM credit_ledger l WHERE l.user_id = u.id)::bigint AS ledger,
              (SELECT count(*) FROM credit_ledger l WHERE l.user_id = u.id AND l.kind = 'PURCHASE')::int AS purchases
         FROM users u WHERE u.id = ANY($1::uuid[])`,
      [fans.map((f) => f.id)],
    );
    for (const b of balances) {
      const paid = paidPerFan.get(b.id) ?? 0;
      expect({ balance: b.balance_cents, ledger: b.ledger, purchases: b.purchases }).toEqual({
        balance: (AFFORDABLE - paid) * PRICE_CENTS,
        ledger: (AFFORDABLE - paid) * PRICE_CENTS,
        purchases: paid,
      });
    }
  }, 120_000);
});

import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from './helpers/app.js';
import {
  actors,
  api,
  balances,
  completedTransfer,
  confirm,
  createTransferTestApp,
  expectError,
  expectLedgerConsistent,
  initiate,
  ledgerOf,
  pendingTransfer,
  seatRow,
  soldSeats,
  transferRow,
  userWith,
  type Actor,
} from './transfers-fixtures.js';

let t: TestApp;
let fan: Actor, fan2: Actor, flagged: Actor, admin: Actor;

beforeAll(async () => {
  t = await createTransferTestApp();
  ({ fan, fan2, flagged, admin } = await actors(t));
});
afterAll(async () => t?.close());

const tally = (results: { status: number; body: { error_code?: string } }[]) =>
  results.reduce<Record<string, number>>((acc, r) => {
    const key = r.status < 300 ? String(r.status) : (r.body.error_code ?? String(r.status));
    acc[key] = (acc[key] ?? 0) + 1;
    return acc;
  }, {});

describe('transfers under concurrency', () => {
  it('two transfers of one seat initiated at once: exactly one wins, the other is TRANSFER_IN_PROGRESS', async () => {
    const seats = await soldSeats(t, fan.id, 8);
    // For every seat, the seller offers it to fan2 while flagged asks to buy it — all at once.
    const results = await Promise.all(
      seats.flatMap((seat) => [initiate(t, fan, fan, fan2, seat, 1), initiate(t, flagged, fan, flagged, seat, 1)]),
    );
    for (let i = 0; i < seats.length; i++) {
      const pair = results.slice(2 * i, 2 * i + 2);
      expect(tally(pair), JSON.stringify(pair.map((r) => r.body))).toEqual({ 201: 1, TRANSFER_IN_PROGRESS: 1 });
    }
    const { rows } = await t.ctx.pool.query<{ seat_id: string; n: number }>(
      `SELECT seat_id, count(*)::int AS n FROM transfers WHERE seat_id = ANY($1::uuid[]) GROUP BY seat_id`,
      [seats],
    );
    expect(rows.map((r) => r.n)).toEqual(seats.map(() => 1));
    // The losers left no codes behind: every challenge belongs to a transfer that exists.
    const orphans = await t.ctx.pool.query(
      `SELECT 1 FROM otp_challenges c WHERE c.context = 'transfer' AND NOT EXISTS (SELECT 1 FROM transfers x WHERE x.id = c.reference_id)`,
    );
    expect(orphans.rowCount).toBe(0);
  });

  it('the unique index backstop: a pending transfer committed during an initiation is reported as TRANSFER_IN_PROGRESS', async () => {
    const [seat] = await soldSeats(t, fan.id);
    const other = new pg.Client({ connectionString: t.databaseUrl });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query(
        `INSERT INTO transfers (seat_id, seller_id, buyer_id, initiated_by, amount_cents, expires_at)
         VALUES ($1, $2, $3, $2, 100, now() + interval '1 day')`,
        [seat, fan.id, flagged.id],
      );
      // Not committed yet: the initiation's own check cannot see it, its insert waits on the index.
      const pending = initiate(t, fan, fan, fan2, seat!, 1);
      await waitForLockWait(t);
      await other.query('COMMIT');
      expectError(await pending, 409, 'TRANSFER_IN_PROGRESS');
    } finally {
      await other.end();
    }
  });

  it('a buyer confirming several transfers at once never overspends', async () => {
    const buyer = await userWith(t, 1000_00, 'buyer');
    const sellers = await Promise.all([1, 2, 3, 4, 5].map((i) => userWith(t, 0, `seller${i}`)));
    const transfers = [];
    for (const seller of sellers) {
      const [seat] = await soldSeats(t, seller.id);
      transfers.push({ seller, seat: seat!, ...(await pendingTransfer(t, seller, buyer, seat!, 300)) });
    }
    const results = await Promise.all(transfers.map((p) => confirm(t, buyer, p)));
    expect(tally(results), JSON.stringify(results.map((r) => r.body))).toEqual({ 200: 3, INSUFFICIENT_CREDITS: 2 });
    const [b] = await balances(t, buyer);
    expect(b!.balance_cents).toBe(100_00);
    for (const [i, p] of transfers.entries()) {
      const won = results[i]!.status === 200;
      expect((await transferRow(t, p.id)).status).toBe(won ? 'COMPLETED' : 'PENDING_OTP');
      expect((await seatRow(t, p.seat)).owner_user_id).toBe(won ? buyer.id : p.seller.id);
      expect((await balances(t, p.seller))[0]!.balance_cents).toBe(won ? 300_00 : 0);
    }
    await expectLedgerConsistent(t);
  });

  it('a confirm submitted several times at once completes once', async () => {
    const [seat] = await soldSeats(t, fan.id);
    const gen = (await seatRow(t, seat!)).generation;
    const [s0, b0] = await balances(t, fan, fan2);
    const p = await pendingTransfer(t, fan, fan2, seat!, 25);
    const results = await Promise.all([confirm(t, fan, p), confirm(t, fan2, p), confirm(t, fan, p), confirm(t, fan2, p)]);
    expect(tally(results), JSON.stringify(results.map((r) => r.body))).toEqual({ 200: 1, TRANSFER_INVALID_STATE: 3 });
    expect((await seatRow(t, seat!)).generation).toBe(gen + 1);
    expect(await ledgerOf(t, p.id)).toHaveLength(2);
    const [s1, b1] = await balances(t, fan, fan2);
    expect(s1!.balance_cents - s0!.balance_cents).toBe(25_00);
    expect(b0!.balance_cents - b1!.balance_cents).toBe(25_00);
  });

  it('a dispute or a reversal sent twice at once happens once', async () => {
    const seller = await userWith(t, 0, 'seller');
    const buyer = await userWith(t, 500_00, 'buyer');
    const [seat] = await soldSeats(t, seller.id);
    const id = await completedTransfer(t, seller, buyer, seat!, 200);
    const body = { transfer_id: id, reason: 'fraud' };
    const disputes = await Promise.all([
      api(t, 'POST', '/api/transfer/dispute', seller, body),
      api(t, 'POST', '/api/transfer/dispute', buyer, body),
    ]);
    expect(tally(disputes)).toEqual({ 200: 1, TRANSFER_INVALID_STATE: 1 });
    expect((await balances(t, seller))[0]).toMatchObject({ balance_cents: 200_00, frozen_cents: 200_00 });

    const reversals = await Promise.all([1, 2, 3].map(() => api(t, 'POST', '/api/transfer/reverse', admin, { transfer_id: id })));
    expect(tally(reversals)).toEqual({ 200: 1, TRANSFER_INVALID_STATE: 2 });
    expect(await balances(t, seller, buyer)).toMatchObject([
      { balance_cents: 0, frozen_cents: 0 },
      { balance_cents: 500_00, frozen_cents: 0 },
    ]);
    expect(await ledgerOf(t, id)).toHaveLength(4);
    await expectLedgerConsistent(t);
  });

  it('a reversal racing a confirm of the onward transfer: one of them wins, never both', async () => {
    for (let round = 0; round < 4; round++) {
      const [seat] = await soldSeats(t, fan.id);
      const id = await completedTransfer(t, fan, fan2, seat!, 1);
      expect((await api(t, 'POST', '/api/transfer/dispute', fan, { transfer_id: id, reason: 'x' })).status).toBe(200);
      const onward = await pendingTransfer(t, fan2, flagged, seat!, 1);
      const [rev, conf] = await Promise.all([
        api(t, 'POST', '/api/transfer/reverse', admin, { transfer_id: id }),
        confirm(t, flagged, onward),
      ]);
      const owner = (await seatRow(t, seat!)).owner_user_id;
      if (rev.status === 200) {
        expect(conf.status, JSON.stringify(conf.body)).toBe(409);
        expect(['TRANSFER_INVALID_STATE', 'SEAT_UNAVAILABLE']).toContain(conf.body.error_code);
        expect(owner).toBe(fan.id);
      } else {
        expectError(rev, 409, 'SEAT_UNAVAILABLE');
        expect(conf.status).toBe(200);
        expect(owner).toBe(flagged.id);
      }
    }
    await expectLedgerConsistent(t);
  });
});

/** Waits until some session of the test database is blocked on a lock. */
async function waitForLockWait(t: TestApp): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const { rowCount } = await t.ctx.pool.query(
      `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
    );
    if (rowCount) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('no session ever waited on a lock');
}

import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSeatDelta } from '../src/domain/sync/seat-delta.js';
import { verifyTransferOtp } from '../src/domain/transfers/otp-context.js';
import type { TestApp } from './helpers/app.js';
import {
  actors,
  api,
  balances,
  checkIn,
  confirm,
  createTransferTestApp,
  expectError,
  expectLedgerConsistent,
  initiate,
  issueQr,
  lastOtp,
  ledgerOf,
  pendingTransfer,
  qrGenerationCurrent,
  seatRow,
  soldSeats,
  spend,
  transferRow,
  wrong,
  type Actor,
} from './transfers-fixtures.js';

let t: TestApp;
let fan: Actor, fan2: Actor, flagged: Actor, admin: Actor;

beforeAll(async () => {
  t = await createTransferTestApp();
  ({ fan, fan2, flagged, admin } = await actors(t));
});
afterAll(async () => t?.close());

describe('POST /api/transfer/initiate', () => {
  it('creates a PENDING_OTP transfer expiring after the TTL and sends each party its own code', async () => {
    const [seat] = await soldSeats(t, fan.id);
    const before = t.clock.now();
    const res = await initiate(t, fan, fan, fan2, seat!, 300);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ success: true, data: { seat_id: seat, status: 'PENDING_OTP' } });
    const row = await transferRow(t, res.body.data.transfer_id);
    expect(row).toMatchObject({ seller_id: fan.id, buyer_id: fan2.id, initiated_by: fan.id, amount_cents: 300_00, status: 'PENDING_OTP' });
    const ttlMs = t.config.TRANSFER_TTL_SECONDS * 1000;
    expect(t.config.TRANSFER_TTL_SECONDS).toBe(15 * 60);
    expect(row.expires_at.getTime()).toBeGreaterThanOrEqual(before + ttlMs - 1000);
    expect(row.expires_at.getTime()).toBeLessThanOrEqual(t.clock.now() + ttlMs + 1000);
    expect(new Date(res.body.data.expires_at).getTime()).toBe(row.expires_at.getTime());

    const { rows: challenges } = await t.ctx.pool.query(
      `SELECT user_id FROM otp_challenges WHERE context = 'transfer' AND reference_id = $1 AND status = 'PENDING' ORDER BY user_id`,
      [row.id],
    );
    expect(challenges.map((c) => c.user_id).sort()).toEqual([fan.id, fan2.id].sort());
    const sellerCode = await lastOtp(t, fan.id);
    const buyerCode = await lastOtp(t, fan2.id);
    expect(sellerCode).toMatch(/^\d{6}$/);
    expect(buyerCode).toMatch(/^\d{6}$/);
  });

  it('lets the buyer initiate, and records who did', async () => {
    const [seat] = await soldSeats(t, fan.id);
    const res = await initiate(t, fan2, fan, fan2, seat!, 10);
    expect(res.status).toBe(201);
    expect((await transferRow(t, res.body.data.transfer_id)).initiated_by).toBe(fan2.id);
  });

  it('refuses a caller who is neither seller nor buyer (FORBIDDEN), admins included', async () => {
    const [seat] = await soldSeats(t, fan.id);
    expectError(await initiate(t, flagged, fan, fan2, seat!, 10), 403, 'FORBIDDEN');
    expectError(await initiate(t, admin, fan, fan2, seat!, 10), 403, 'FORBIDDEN');
    const { rowCount } = await t.ctx.pool.query('SELECT 1 FROM transfers WHERE seat_id = $1', [seat]);
    expect(rowCount).toBe(0);
  });

  it('requires a token', async () => {
    const [seat] = await soldSeats(t, fan.id);
    const body = { seat_id: seat, seller_user_id: fan.id, buyer_user_id: fan2.id, credits_amount: 10 };
    expectError(await api(t, 'POST', '/api/transfer/initiate', null, body), 401, 'UNAUTHORIZED');
  });

  it('answers every transfer error code', async () => {
    const [mine] = await soldSeats(t, fan.id);
    const [other] = await soldSeats(t, fan2.id);
    const unknown = randomUUID();
    const { rows } = await t.ctx.pool.query<{ id: string }>(`SELECT id FROM seats WHERE status = 'AVAILABLE' LIMIT 1`);
    const free = rows[0]!.id;

    expectError(await initiate(t, fan, fan, fan, mine!, 10), 400, 'SELF_TRANSFER');
    expectError(await initiate(t, fan, fan, fan2, unknown, 10), 404, 'SEAT_NOT_FOUND');
    expectError(await initiate(t, fan, fan, { ...fan2, id: randomUUID() }, mine!, 10), 404, 'USER_NOT_FOUND');
    expectError(await initiate(t, fan2, { ...fan, id: randomUUID() }, fan2, mine!, 10), 404, 'USER_NOT_FOUND');
    expectError(await initiate(t, fan, fan, fan2, free, 10), 409, 'SEAT_UNAVAILABLE');
    expectError(await initiate(t, fan, fan, fan2, other!, 10), 403, 'NOT_SEAT_OWNER');
    expectError(await initiate(t, fan, fan, flagged, mine!, 500.01), 402, 'INSUFFICIENT_CREDITS');

    expect((await initiate(t, fan, fan, fan2, mine!, 10)).status).toBe(201);
    expectError(await initiate(t, fan, fan, flagged, mine!, 10), 409, 'TRANSFER_IN_PROGRESS');
    expectError(await initiate(t, flagged, fan, flagged, mine!, 10), 409, 'TRANSFER_IN_PROGRESS');
  });

  it('refuses checked-in tickets (SEAT_UNAVAILABLE) and tickets of past events (EVENT_ENDED)', async () => {
    const [used] = await soldSeats(t, fan.id);
    await checkIn(t, used!);
    expectError(await initiate(t, fan, fan, fan2, used!, 10), 409, 'SEAT_UNAVAILABLE');
    const [past] = await soldSeats(t, fan.id, 1, 'Opening Night (past)');
    expectError(await initiate(t, fan, fan, fan2, past!, 10), 410, 'EVENT_ENDED');
  });

  it('counts frozen credits as unspendable when checking the buyer', async () => {
    const [seat] = await soldSeats(t, fan.id);
    await t.ctx.pool.query('UPDATE users SET frozen_cents = 400_00 WHERE id = $1', [flagged.id]);
    try {
      expectError(await initiate(t, fan, fan, flagged, seat!, 100.01), 402, 'INSUFFICIENT_CREDITS');
      expect((await initiate(t, fan, fan, flagged, seat!, 100)).status).toBe(201);
    } finally {
      await t.ctx.pool.query('UPDATE users SET frozen_cents = 0 WHERE id = $1', [flagged.id]);
    }
  });

  it('validates the body: UUIDs, amounts in cents, no negative prices', async () => {
    const [seat] = await soldSeats(t, fan.id);
    for (const credits_amount of [-1, 1.234, '10', null]) {
      const res = await api(t, 'POST', '/api/transfer/initiate', fan, {
        seat_id: seat,
        seller_user_id: fan.id,
        buyer_user_id: fan2.id,
        credits_amount,
      });
      expectError(res, 400, 'VALIDATION_ERROR');
    }
    expectError(
      await api(t, 'POST', '/api/transfer/initiate', fan, {
        seat_id: 'x',
        seller_user_id: fan.id,
        buyer_user_id: fan2.id,
        credits_amount: 1,
      }),
      400,
      'VALIDATION_ERROR',
    );
  });

  it('no transfer and no SMS when the initiation fails', async () => {
    const [seat] = await soldSeats(t, fan.id);
    const count = async () => (await t.ctx.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM sms_outbox')).rows[0]!.n;
    const before = await count();
    expectError(await initiate(t, fan, fan, flagged, seat!, 9999), 402, 'INSUFFICIENT_CREDITS');
    expect(await count()).toBe(before);
  });
});

describe('POST /api/transfer/confirm', () => {
  it('swaps credits and ownership in one step, bumps the generation and the event sequence, writes the ledger', async () => {
    const [seat] = await soldSeats(t, fan.id);
    const sellerQr = await issueQr(t, seat!);
    expect(await qrGenerationCurrent(t, sellerQr)).toBe(true);
    const [s0, b0] = await balances(t, fan, fan2);
    const seatBefore = await seatRow(t, seat!);
    const gate = { id: randomUUID(), hallId: 'HALL-A', name: 'test gate' };
    const cursor = (await readSeatDelta(t.ctx, gate, seatBefore.event_id, 0)).cursor;
    const p = await pendingTransfer(t, fan, fan2, seat!, 300);

    const res = await confirm(t, fan, p);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      success: true,
      data: {
        transfer_id: p.id,
        status: 'COMPLETED',
        seat_id: seat,
        new_owner_user_id: fan2.id,
        credits_transferred: 300,
        message: 'Transfer complete. Ticket ownership updated.',
      },
    });
    const [s1, b1] = await balances(t, fan, fan2);
    expect(s1!.balance_cents - s0!.balance_cents).toBe(300_00);
    expect(b0!.balance_cents - b1!.balance_cents).toBe(300_00);

    const seatAfter = await seatRow(t, seat!);
    expect(seatAfter).toMatchObject({ status: 'SOLD', owner_user_id: fan2.id, generation: seatBefore.generation + 1 });
    const { rows } = await t.ctx.pool.query<{ seq: number }>('SELECT seq FROM events WHERE id = $1', [seatAfter.event_id]);
    expect(seatAfter.seq).toBe(rows[0]!.seq);
    expect(seatAfter.seq).toBeGreaterThan(seatBefore.seq);
    // A gate's next delta pull carries the new generation and holder.
    const delta = await readSeatDelta(t.ctx, gate, seatAfter.event_id, cursor);
    const tuple = (JSON.parse(delta.seatsJson) as unknown[][]).find((s) => s[0] === seat);
    expect(tuple?.slice(4, 7)).toEqual(['SOLD', seatBefore.generation + 1, 'Second Fan']);

    const ledger = await ledgerOf(t, p.id);
    expect(ledger).toEqual([
      { user_id: fan2.id, amount_cents: -300_00, kind: 'TRANSFER_OUT' },
      { user_id: fan.id, amount_cents: 300_00, kind: 'TRANSFER_IN' },
    ]);
    expect(ledger.reduce((a, r) => a + r.amount_cents, 0)).toBe(0);
    expect(await transferRow(t, p.id)).toMatchObject({ status: 'COMPLETED' });
    expect((await transferRow(t, p.id)).completed_at).toBeInstanceOf(Date);
    await expectLedgerConsistent(t);

    // The seller's last code stops working; the buyer's new one works.
    expect(await qrGenerationCurrent(t, sellerQr)).toBe(false);
    expect(await qrGenerationCurrent(t, await issueQr(t, seat!))).toBe(true);
  });

  it('completes a gift (0 credits) without ledger rows', async () => {
    const [seat] = await soldSeats(t, fan.id);
    const p = await pendingTransfer(t, fan, fan2, seat!, 0);
    expect((await confirm(t, fan2, p)).status).toBe(200);
    expect(await ledgerOf(t, p.id)).toEqual([]);
    expect((await seatRow(t, seat!)).owner_user_id).toBe(fan2.id);
  });

  it('accepts parties verified beforehand through the verify-otp transfer context', async () => {
    expect(t.ctx.otpFlows.transfer?.verify).toBe(verifyTransferOtp);
    const [seat] = await soldSeats(t, fan.id);
    const p = await pendingTransfer(t, fan, fan2, seat!, 5);
    await verifyTransferOtp(t.ctx, { userId: fan.id, referenceId: p.id, code: p.sellerOtp });
    expect((await transferRow(t, p.id)).seller_verified_at).toBeInstanceOf(Date);
    expectError(await confirm(t, fan, { id: p.id }), 428, 'OTP_REQUIRED');
    await verifyTransferOtp(t.ctx, { userId: fan2.id, referenceId: p.id, code: p.buyerOtp });
    const res = await confirm(t, fan2, { id: p.id });
    expect(res.status).toBe(200);
    expect(res.body.data.status).toBe('COMPLETED');
  });

  it('verify-otp for transfers: only the parties, only pending transfers, wrong codes counted', async () => {
    const [seat] = await soldSeats(t, fan.id);
    const p = await pendingTransfer(t, fan, fan2, seat!, 5);
    await expect(verifyTransferOtp(t.ctx, { userId: flagged.id, referenceId: p.id, code: p.sellerOtp })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(verifyTransferOtp(t.ctx, { userId: fan.id, referenceId: randomUUID(), code: '123456' })).rejects.toMatchObject({
      code: 'TRANSFER_NOT_FOUND',
    });
    await expect(verifyTransferOtp(t.ctx, { userId: fan.id, referenceId: p.id, code: wrong(p.sellerOtp) })).rejects.toMatchObject({
      code: 'OTP_INVALID',
    });
    // The buyer's code is not the seller's.
    if (p.buyerOtp !== p.sellerOtp) {
      await expect(verifyTransferOtp(t.ctx, { userId: fan.id, referenceId: p.id, code: p.buyerOtp })).rejects.toMatchObject({
        code: 'OTP_INVALID',
      });
    }
    await expect(verifyTransferOtp(t.ctx, { userId: fan.id, referenceId: p.id, code: wrong(p.sellerOtp) })).rejects.toMatchObject({
      code: 'OTP_MAX_RETRIES',
    });
    expect(await transferRow(t, p.id)).toMatchObject({ status: 'FAILED', closed_reason: 'OTP_MAX_RETRIES' });
    await expect(verifyTransferOtp(t.ctx, { userId: fan2.id, referenceId: p.id, code: p.buyerOtp })).rejects.toMatchObject({
      code: 'TRANSFER_INVALID_STATE',
    });
  });

  it('OTP_INVALID names the party whose code is wrong and changes nothing', async () => {
    const [seat] = await soldSeats(t, fan.id);
    const p = await pendingTransfer(t, fan, fan2, seat!, 20);
    const sellerWrong = await confirm(t, fan, { ...p, sellerOtp: wrong(p.sellerOtp) });
    expectError(sellerWrong, 401, 'OTP_INVALID');
    expect(sellerWrong.body.message).toMatch(/^Seller OTP is incorrect \(2 attempts left\)/);
    const buyerWrong = await confirm(t, fan, { ...p, buyerOtp: wrong(p.buyerOtp) });
    expectError(buyerWrong, 401, 'OTP_INVALID');
    expect(buyerWrong.body.message).toMatch(/^Buyer OTP/);
    expect(await transferRow(t, p.id)).toMatchObject({ status: 'PENDING_OTP' });
    expect((await seatRow(t, seat!)).owner_user_id).toBe(fan.id);
    // The seller's right code above was recorded; the right buyer code now completes it.
    expect((await confirm(t, fan2, p)).status).toBe(200);
  });

  it('the third wrong code fails the transfer (OTP_MAX_RETRIES → FAILED) and frees the seat for a new transfer', async () => {
    const [seat] = await soldSeats(t, fan.id);
    const p = await pendingTransfer(t, fan, fan2, seat!, 20);
    const bad = { ...p, buyerOtp: wrong(p.buyerOtp) };
    expectError(await confirm(t, fan2, bad), 401, 'OTP_INVALID');
    expectError(await confirm(t, fan2, bad), 401, 'OTP_INVALID');
    expectError(await confirm(t, fan2, bad), 429, 'OTP_MAX_RETRIES');
    expect(await transferRow(t, p.id)).toMatchObject({ status: 'FAILED', closed_reason: 'OTP_MAX_RETRIES' });
    expectError(await confirm(t, fan2, p), 409, 'TRANSFER_INVALID_STATE');
    expect((await seatRow(t, seat!)).owner_user_id).toBe(fan.id);
    expect((await initiate(t, fan, fan, fan2, seat!, 20)).status).toBe(201);
  });

  it('an expired code cancels the transfer (OTP_EXPIRED): re-initiate', async () => {
    const [seat] = await soldSeats(t, fan.id);
    const p = await pendingTransfer(t, fan, fan2, seat!, 20);
    t.clock.advance(5 * 60_000 + 1000);
    try {
      expectError(await confirm(t, fan, p), 410, 'OTP_EXPIRED');
      expect(await transferRow(t, p.id)).toMatchObject({ status: 'CANCELLED', closed_reason: 'OTP_EXPIRED' });
      expect((await initiate(t, fan, fan, fan2, seat!, 20)).status).toBe(201);
    } finally {
      t.clock.advance(-(5 * 60_000 + 1000));
    }
  });

  it('requires a code for each party not yet verified (OTP_REQUIRED)', async () => {
    const [seat] = await soldSeats(t, fan.id);
    const p = await pendingTransfer(t, fan, fan2, seat!, 20);
    const res = await confirm(t, fan, { id: p.id, sellerOtp: p.sellerOtp });
    expectError(res, 428, 'OTP_REQUIRED');
    expect(res.body.message).toMatch(/buyer_otp/);
    expectError(
      await api(t, 'POST', '/api/transfer/confirm', fan, { transfer_id: p.id, seller_otp: '12345', buyer_otp: p.buyerOtp }),
      400,
      'VALIDATION_ERROR',
    );
  });

  it('TRANSFER_NOT_FOUND, FORBIDDEN for third parties (admins too), TRANSFER_INVALID_STATE once completed', async () => {
    expectError(await confirm(t, fan, { id: randomUUID(), sellerOtp: '123456', buyerOtp: '123456' }), 404, 'TRANSFER_NOT_FOUND');
    const [seat] = await soldSeats(t, fan.id);
    const p = await pendingTransfer(t, fan, fan2, seat!, 20);
    expectError(await confirm(t, flagged, p), 403, 'FORBIDDEN');
    expectError(await confirm(t, admin, p), 403, 'FORBIDDEN');
    expect((await confirm(t, fan, p)).status).toBe(200);
    expectError(await confirm(t, fan, p), 409, 'TRANSFER_INVALID_STATE');
    expectError(await confirm(t, fan2, p), 409, 'TRANSFER_INVALID_STATE');
  });

  it('refuses a transfer past its expiry even before the sweeper ran, and cancels it', async () => {
    const [seat] = await soldSeats(t, fan.id);
    const p = await pendingTransfer(t, fan, fan2, seat!, 20);
    await verifyTransferOtp(t.ctx, { userId: fan.id, referenceId: p.id, code: p.sellerOtp });
    await verifyTransferOtp(t.ctx, { userId: fan2.id, referenceId: p.id, code: p.buyerOtp });
    const ttl = t.config.TRANSFER_TTL_SECONDS * 1000;
    t.clock.advance(ttl);
    try {
      expectError(await confirm(t, fan, { id: p.id }), 409, 'TRANSFER_INVALID_STATE');
      expect(await transferRow(t, p.id)).toMatchObject({ status: 'CANCELLED', closed_reason: 'EXPIRED' });
      expect((await seatRow(t, seat!)).owner_user_id).toBe(fan.id);
    } finally {
      t.clock.advance(-ttl);
    }
  });

  it('an expired pending transfer does not block a new one for the seat', async () => {
    const [seat] = await soldSeats(t, fan.id);
    const p = await pendingTransfer(t, fan, fan2, seat!, 20);
    const ttl = t.config.TRANSFER_TTL_SECONDS * 1000;
    t.clock.advance(ttl);
    try {
      expect((await initiate(t, fan, fan, flagged, seat!, 20)).status).toBe(201);
      expect(await transferRow(t, p.id)).toMatchObject({ status: 'CANCELLED', closed_reason: 'EXPIRED' });
    } finally {
      t.clock.advance(-ttl);
    }
  });

  it('a ticket checked in while the transfer was pending: SEAT_UNAVAILABLE, transfer cancelled, no credits moved', async () => {
    const [seat] = await soldSeats(t, fan.id);
    const p = await pendingTransfer(t, fan, fan2, seat!, 20);
    await checkIn(t, seat!);
    const [b0] = await balances(t, fan2);
    expectError(await confirm(t, fan2, p), 409, 'SEAT_UNAVAILABLE');
    expect(await transferRow(t, p.id)).toMatchObject({ status: 'CANCELLED', closed_reason: 'SEAT_CHANGED' });
    expect((await balances(t, fan2))[0]!.balance_cents).toBe(b0!.balance_cents);
  });

  it('a buyer who spent the credits meanwhile gets INSUFFICIENT_CREDITS; the transfer stays pending', async () => {
    const [seat] = await soldSeats(t, fan.id);
    const p = await pendingTransfer(t, fan, flagged, seat!, 100);
    const [b0] = await balances(t, flagged);
    await spend(t, flagged, b0!.balance_cents - 50_00);
    try {
      expectError(await confirm(t, flagged, p), 402, 'INSUFFICIENT_CREDITS');
      expect(await transferRow(t, p.id)).toMatchObject({ status: 'PENDING_OTP' });
      expect((await seatRow(t, seat!)).owner_user_id).toBe(fan.id);
      expect((await balances(t, flagged))[0]!.balance_cents).toBe(50_00);
    } finally {
      await t.ctx.pool.query(`UPDATE transfers SET status = 'CANCELLED' WHERE id = $1`, [p.id]);
    }
  });
});

import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from './helpers/app.js';
import {
  actors,
  api,
  balances,
  checkIn,
  completedTransfer,
  confirm,
  createTransferTestApp,
  expectError,
  expectLedgerConsistent,
  initiate,
  issueQr,
  ledgerOf,
  pendingTransfer,
  qrGenerationCurrent,
  seatRow,
  soldSeats,
  spend,
  transferRow,
  userWith,
  type Actor,
} from './transfers-fixtures.js';

let t: TestApp;
let fan: Actor, fan2: Actor, flagged: Actor, staff: Actor, operator: Actor, admin: Actor;

beforeAll(async () => {
  t = await createTransferTestApp();
  ({ fan, fan2, flagged, staff, operator, admin } = await actors(t));
});
afterAll(async () => t?.close());

const dispute = (by: Actor, id: string, reason = 'I did not authorise this transfer') =>
  api(t, 'POST', '/api/transfer/dispute', by, { transfer_id: id, reason });
const reverse = (by: Actor, id: string) => api(t, 'POST', '/api/transfer/reverse', by, { transfer_id: id });
const uphold = (by: Actor, id: string) => api(t, 'POST', '/api/transfer/resolve', by, { transfer_id: id, resolution: 'UPHELD' });

describe('POST /api/transfer/dispute', () => {
  it('COMPLETED → DISPUTED, freezing exactly the transferred amount in the seller balance', async () => {
    const seller = await userWith(t, 0, 'seller');
    const buyer = await userWith(t, 500_00, 'buyer');
    const [seat] = await soldSeats(t, seller.id);
    const id = await completedTransfer(t, seller, buyer, seat!, 300);

    const res = await dispute(buyer, id);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      success: true,
      data: {
        transfer_id: id,
        status: 'DISPUTED',
        frozen_credits: 300,
        message: 'Dispute recorded. Credits frozen pending investigation.',
      },
    });
    const [s] = await balances(t, seller);
    expect(s).toMatchObject({ balance_cents: 300_00, frozen_cents: 300_00 });
    expect(await transferRow(t, id)).toMatchObject({
      status: 'DISPUTED',
      disputed_by: buyer.id,
      frozen_cents: 300_00,
      dispute_reason: 'I did not authorise this transfer',
    });

    // Frozen credits are not spendable.
    const [other] = await soldSeats(t, fan.id);
    expectError(await initiate(t, seller, fan, seller, other!, 0.01), 402, 'INSUFFICIENT_CREDITS');
  });

  it('freezes what is left when the seller already spent part of the credits, and records it', async () => {
    const seller = await userWith(t, 0, 'spender');
    const buyer = await userWith(t, 500_00, 'buyer');
    const [seat] = await soldSeats(t, seller.id);
    const id = await completedTransfer(t, seller, buyer, seat!, 300);
    await spend(t, seller, 220_00);
    const res = await dispute(seller, id, 'changed my mind');
    expect(res.status).toBe(200);
    expect(res.body.data.frozen_credits).toBe(80);
    expect((await balances(t, seller))[0]).toMatchObject({ balance_cents: 80_00, frozen_cents: 80_00 });
    expect((await transferRow(t, id)).frozen_cents).toBe(80_00);
  });

  it('only the parties may dispute; unknown transfers are TRANSFER_NOT_FOUND', async () => {
    const [seat] = await soldSeats(t, fan.id);
    const id = await completedTransfer(t, fan, fan2, seat!, 1);
    expectError(await dispute(flagged, id), 403, 'FORBIDDEN');
    expectError(await dispute(admin, id), 403, 'FORBIDDEN');
    expectError(await dispute(fan, randomUUID()), 404, 'TRANSFER_NOT_FOUND');
    expectError(await api(t, 'POST', '/api/transfer/dispute', fan, { transfer_id: id, reason: '' }), 400, 'VALIDATION_ERROR');
    expect((await transferRow(t, id)).status).toBe('COMPLETED');
  });

  it('refuses transfers that are not COMPLETED: pending, failed, cancelled, disputed, reversed, upheld; no confirm after completion', async () => {
    const [a, b] = await soldSeats(t, fan.id, 2);
    const pending = await pendingTransfer(t, fan, fan2, a!, 1);
    expectError(await dispute(fan, pending.id), 409, 'TRANSFER_INVALID_STATE');
    for (const status of ['FAILED', 'CANCELLED']) {
      await t.ctx.pool.query('UPDATE transfers SET status = $2 WHERE id = $1', [pending.id, status]);
      expectError(await dispute(fan, pending.id), 409, 'TRANSFER_INVALID_STATE');
    }

    const id = await completedTransfer(t, fan, fan2, b!, 1);
    expectError(await uphold(admin, id), 409, 'TRANSFER_INVALID_STATE');
    expect((await dispute(fan, id)).status).toBe(200);
    expectError(await dispute(fan2, id), 409, 'TRANSFER_INVALID_STATE');
    expectError(await confirm(t, fan, { id, sellerOtp: '000000', buyerOtp: '000000' }), 409, 'TRANSFER_INVALID_STATE');
    expect((await uphold(admin, id)).status).toBe(200);
    expectError(await dispute(fan2, id), 409, 'TRANSFER_INVALID_STATE');

    const [c] = await soldSeats(t, fan.id);
    const id2 = await completedTransfer(t, fan, fan2, c!, 1);
    expect((await dispute(fan, id2)).status).toBe(200);
    expect((await reverse(admin, id2)).status).toBe(200);
    expectError(await dispute(fan, id2), 409, 'TRANSFER_INVALID_STATE');
    expectError(await confirm(t, fan, { id: id2, sellerOtp: '000000', buyerOtp: '000000' }), 409, 'TRANSFER_INVALID_STATE');
  });
});

describe('POST /api/transfer/reverse', () => {
  it('DISPUTED → REVERSED: ticket and credits back, frozen released, new generation, ledger pairs sum to zero', async () => {
    const seller = await userWith(t, 100_00, 'seller');
    const buyer = await userWith(t, 500_00, 'buyer');
    const [seat] = await soldSeats(t, seller.id);
    const gen0 = (await seatRow(t, seat!)).generation;
    const id = await completedTransfer(t, seller, buyer, seat!, 300);
    const buyerQr = await issueQr(t, seat!);
    expect((await dispute(seller, id)).status).toBe(200);

    const res = await reverse(admin, id);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      success: true,
      data: {
        transfer_id: id,
        status: 'REVERSED',
        seat_id: seat,
        restored_owner_user_id: seller.id,
        credits_returned: 300,
        message: 'Transfer reversed. Ownership and credits restored.',
      },
    });
    const [s, b] = await balances(t, seller, buyer);
    expect(s).toMatchObject({ balance_cents: 100_00, frozen_cents: 0 });
    expect(b).toMatchObject({ balance_cents: 500_00, frozen_cents: 0 });
    expect(await seatRow(t, seat!)).toMatchObject({ status: 'SOLD', owner_user_id: seller.id, generation: gen0 + 2 });
    expect(await transferRow(t, id)).toMatchObject({
      status: 'REVERSED',
      resolution: 'REVERSED',
      resolved_by: admin.id,
      returned_cents: 300_00,
    });

    const ledger = await ledgerOf(t, id);
    expect(ledger.map((r) => [r.kind, r.user_id, r.amount_cents])).toEqual([
      ['TRANSFER_OUT', buyer.id, -300_00],
      ['TRANSFER_IN', seller.id, 300_00],
      ['REVERSAL_OUT', seller.id, -300_00],
      ['REVERSAL_IN', buyer.id, 300_00],
    ]);
    expect(ledger.slice(0, 2).reduce((a, r) => a + r.amount_cents, 0)).toBe(0);
    expect(ledger.slice(2).reduce((a, r) => a + r.amount_cents, 0)).toBe(0);
    await expectLedgerConsistent(t);

    // The buyer's codes stop working; the restored owner's new ones work.
    expect(await qrGenerationCurrent(t, buyerQr)).toBe(false);
    expect(await qrGenerationCurrent(t, await issueQr(t, seat!))).toBe(true);
  });

  it('returns what the seller can pay when part of the price was spent before the dispute', async () => {
    const seller = await userWith(t, 0, 'seller');
    const buyer = await userWith(t, 500_00, 'buyer');
    const [seat] = await soldSeats(t, seller.id);
    const id = await completedTransfer(t, seller, buyer, seat!, 300);
    await spend(t, seller, 250_00);
    expect((await dispute(buyer, id)).body.data.frozen_credits).toBe(50);
    // A top-up after the dispute is not frozen, but the reversal may recover it.
    await t.ctx.pool.query('UPDATE users SET balance_cents = balance_cents + 100_00 WHERE id = $1', [seller.id]);
    await t.ctx.pool.query(`INSERT INTO credit_ledger (user_id, amount_cents, balance_after, kind) VALUES ($1, 100_00, 150_00, 'TOPUP')`, [
      seller.id,
    ]);
    const res = await reverse(admin, id);
    expect(res.status).toBe(200);
    expect(res.body.data.credits_returned).toBe(150);
    const [s, b] = await balances(t, seller, buyer);
    expect(s).toMatchObject({ balance_cents: 0, frozen_cents: 0 });
    expect(b).toMatchObject({ balance_cents: 350_00 });
    expect((await transferRow(t, id)).returned_cents).toBe(150_00);
    await expectLedgerConsistent(t);
  });

  it('admin only: FORBIDDEN for fans (even the parties), staff and operators', async () => {
    const [seat] = await soldSeats(t, fan.id);
    const id = await completedTransfer(t, fan, fan2, seat!, 1);
    expect((await dispute(fan, id)).status).toBe(200);
    for (const who of [fan, fan2, staff, operator]) expectError(await reverse(who, id), 403, 'FORBIDDEN');
    for (const who of [fan, fan2, staff, operator]) expectError(await uphold(who, id), 403, 'FORBIDDEN');
    expect((await transferRow(t, id)).status).toBe('DISPUTED');
  });

  it('TRANSFER_NOT_FOUND; TRANSFER_INVALID_STATE unless DISPUTED (completed, pending, reversed)', async () => {
    expectError(await reverse(admin, randomUUID()), 404, 'TRANSFER_NOT_FOUND');
    const [a, b] = await soldSeats(t, fan.id, 2);
    const completed = await completedTransfer(t, fan, fan2, a!, 1);
    expectError(await reverse(admin, completed), 409, 'TRANSFER_INVALID_STATE');
    const pending = await pendingTransfer(t, fan, fan2, b!, 1);
    expectError(await reverse(admin, pending.id), 409, 'TRANSFER_INVALID_STATE');
    expect((await dispute(fan, completed)).status).toBe(200);
    expect((await reverse(admin, completed)).status).toBe(200);
    expectError(await reverse(admin, completed), 409, 'TRANSFER_INVALID_STATE');
    expectError(await uphold(admin, completed), 409, 'TRANSFER_INVALID_STATE');
  });

  it('SEAT_UNAVAILABLE when the buyer checked in or passed the ticket on; the dispute stays open', async () => {
    const [a, b] = await soldSeats(t, fan.id, 2);
    const used = await completedTransfer(t, fan, fan2, a!, 1);
    expect((await dispute(fan, used)).status).toBe(200);
    await checkIn(t, a!);
    expectError(await reverse(admin, used), 409, 'SEAT_UNAVAILABLE');
    expect((await transferRow(t, used)).status).toBe('DISPUTED');

    const passedOn = await completedTransfer(t, fan, fan2, b!, 1);
    expect((await dispute(fan, passedOn)).status).toBe(200);
    await completedTransfer(t, fan2, flagged, b!, 1);
    expectError(await reverse(admin, passedOn), 409, 'SEAT_UNAVAILABLE');
    expect((await seatRow(t, b!)).owner_user_id).toBe(flagged.id);
  });

  it('cancels a pending onward transfer of the seat', async () => {
    const [seat] = await soldSeats(t, fan.id);
    const id = await completedTransfer(t, fan, fan2, seat!, 1);
    expect((await dispute(fan, id)).status).toBe(200);
    const onward = await pendingTransfer(t, fan2, flagged, seat!, 1);
    expect((await reverse(admin, id)).status).toBe(200);
    expect(await transferRow(t, onward.id)).toMatchObject({ status: 'CANCELLED', closed_reason: 'SEAT_CHANGED' });
    expectError(await confirm(t, flagged, onward), 409, 'TRANSFER_INVALID_STATE');
    expect((await seatRow(t, seat!)).owner_user_id).toBe(fan.id);
  });
});

describe('POST /api/transfer/resolve (UPHELD)', () => {
  it('DISPUTED → COMPLETED with resolution UPHELD: the frozen credits are released, ownership stays', async () => {
    const seller = await userWith(t, 0, 'seller');
    const buyer = await userWith(t, 500_00, 'buyer');
    const [seat] = await soldSeats(t, seller.id);
    const id = await completedTransfer(t, seller, buyer, seat!, 120.5);
    expect((await dispute(buyer, id)).status).toBe(200);
    expect((await balances(t, seller))[0]).toMatchObject({ balance_cents: 120_50, frozen_cents: 120_50 });
    const res = await uphold(admin, id);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ transfer_id: id, status: 'COMPLETED', resolution: 'UPHELD', released_credits: 120.5 });
    expect((await balances(t, seller))[0]).toMatchObject({ balance_cents: 120_50, frozen_cents: 0 });
    expect(await transferRow(t, id)).toMatchObject({ status: 'COMPLETED', resolution: 'UPHELD', resolved_by: admin.id });
    expect((await seatRow(t, seat!)).owner_user_id).toBe(buyer.id);
    expectError(await api(t, 'POST', '/api/transfer/resolve', admin, { transfer_id: id, resolution: 'REVERSED' }), 400, 'VALIDATION_ERROR');
  });
});

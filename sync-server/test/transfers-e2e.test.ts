import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from './helpers/app.js';
import {
  actors,
  api,
  confirm,
  createTransferTestApp,
  expectError,
  pendingTransfer,
  soldSeats,
  transferRow,
  userWith,
  type Actor,
} from './transfers-fixtures.js';

let t: TestApp;
let staff: Actor, admin: Actor;

beforeAll(async () => {
  t = await createTransferTestApp();
  ({ staff, admin } = await actors(t));
});
afterAll(async () => t?.close());

const qrOf = (holder: Actor, seatId: string) => api(t, 'GET', `/api/tickets/${seatId}/qr`, holder);
const scan = (qr: string) => api(t, 'POST', '/api/verify', staff, { qr_payload: qr, hall_id: 'HALL-A' });
const verifyOtp = (who: Actor, transferId: string, code: string) =>
  api(t, 'POST', '/api/verify-otp', who, { otp_code: code, context: 'transfer', reference_id: transferId });

describe('transfers end to end through the ticket, verify-otp and verify routes', () => {
  it("after a transfer the seller's last QR fails /api/verify and the buyer's new QR passes", async () => {
    const seller = await userWith(t, 0, 'seller');
    const buyer = await userWith(t, 500_00, 'buyer');
    const [seat] = await soldSeats(t, seller.id);
    const sellerQr = await qrOf(seller, seat!);
    expect(sellerQr.status).toBe(200);

    const p = await pendingTransfer(t, seller, buyer, seat!, 100);
    expect((await confirm(t, seller, p)).status).toBe(200);

    const stale = await scan(sellerQr.body.data.qr_payload);
    expect(stale.status).toBe(200);
    expect(stale.body.data.result).toBe('NOT_FOUND');
    expectError(await qrOf(seller, seat!), 403, 'NOT_SEAT_OWNER');

    const fresh = await qrOf(buyer, seat!);
    expect(fresh.status).toBe(200);
    const admitted = await scan(fresh.body.data.qr_payload);
    expect(admitted.body.data).toMatchObject({ result: 'SUCCESS', seat_id: seat });
  });

  it('both parties verify through POST /api/verify-otp (context transfer), then confirm needs no codes', async () => {
    const seller = await userWith(t, 0, 'seller');
    const buyer = await userWith(t, 500_00, 'buyer');
    const [seat] = await soldSeats(t, seller.id);
    const p = await pendingTransfer(t, seller, buyer, seat!, 40);

    expectError(await verifyOtp(buyer, p.id, p.sellerOtp === p.buyerOtp ? '000000' : p.sellerOtp), 401, 'OTP_INVALID');
    const ok1 = await verifyOtp(seller, p.id, p.sellerOtp);
    expect(ok1.status).toBe(200);
    expect(ok1.body.data.verified).toBe(true);
    expect((await verifyOtp(buyer, p.id, p.buyerOtp)).status).toBe(200);
    expect(await transferRow(t, p.id)).toMatchObject({ status: 'PENDING_OTP' });

    const done = await confirm(t, buyer, { id: p.id });
    expect(done.status).toBe(200);
    expect(done.body.data).toMatchObject({ status: 'COMPLETED', new_owner_user_id: buyer.id, credits_transferred: 40 });
    expectError(await verifyOtp(seller, p.id, p.sellerOtp), 409, 'TRANSFER_INVALID_STATE');
  });

  it("after a reversal the buyer's QR fails and the restored seller's new QR passes", async () => {
    const seller = await userWith(t, 0, 'seller');
    const buyer = await userWith(t, 500_00, 'buyer');
    const [seat] = await soldSeats(t, seller.id);
    const p = await pendingTransfer(t, seller, buyer, seat!, 100);
    expect((await confirm(t, buyer, p)).status).toBe(200);
    const buyerQr = (await qrOf(buyer, seat!)).body.data.qr_payload;
    expect((await api(t, 'POST', '/api/transfer/dispute', seller, { transfer_id: p.id, reason: 'stolen account' })).status).toBe(200);
    expect((await api(t, 'POST', '/api/transfer/reverse', admin, { transfer_id: p.id })).status).toBe(200);

    expect((await scan(buyerQr)).body.data.result).toBe('NOT_FOUND');
    expectError(await qrOf(buyer, seat!), 403, 'NOT_SEAT_OWNER');
    const restored = await qrOf(seller, seat!);
    expect((await scan(restored.body.data.qr_payload)).body.data.result).toBe('SUCCESS');
  });
});

// Codes are texted after the flow's transaction commits (finding: a Twilio call
// inside the transaction held the seat's lock for as long as the provider took,
// retries included). Each test replaces the context's SMS provider with one
// that looks at the database while "sending".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../src/domain/errors.js';
import type { SmsMessage, SmsProvider } from '../src/providers/sms.js';
import { actors, createTransferTestApp, initiate, soldSeats, type Actor } from './transfers-fixtures.js';
import type { TestApp } from './helpers/app.js';

describe('OTP delivery after commit', () => {
  let t: TestApp;
  let fan: Actor, fan2: Actor;
  let realSms: SmsProvider;
  beforeAll(async () => {
    t = await createTransferTestApp();
    ({ fan, fan2 } = await actors(t));
    realSms = t.ctx.sms;
  });
  afterAll(async () => {
    t.ctx.sms = realSms;
    await t?.close();
  });

  /** A provider that runs `probe` while each message is "in flight", then fails or succeeds. */
  const provider = (probe: (msg: SmsMessage) => Promise<void>, fail = false): SmsProvider => ({
    name: 'outbox',
    async send(msg) {
      await probe(msg);
      if (fail) throw new DomainError('SERVICE_UNAVAILABLE', 'The SMS could not be sent (provider answered 503). Try again.');
    },
  });

  it('sends a transfer’s codes when the transfer is committed and the seat is not locked', async () => {
    const [seatId] = (await soldSeats(t, fan.id)) as [string];
    const seen: { transfers: number; lockFree: boolean }[] = [];
    t.ctx.sms = provider(async () => {
      const visible = await t.ctx.pool.query(`SELECT 1 FROM transfers WHERE seat_id = $1 AND status = 'PENDING_OTP'`, [seatId]);
      // NOWAIT fails at once (55P03) if any transaction still holds the seat row.
      const lockFree = await t.ctx.pool
        .query('SELECT 1 FROM seats WHERE id = $1 FOR UPDATE NOWAIT', [seatId])
        .then(() => true)
        .catch(() => false);
      seen.push({ transfers: visible.rowCount ?? 0, lockFree });
    });
    try {
      const res = await initiate(t, fan, fan, fan2, seatId, 10);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    } finally {
      t.ctx.sms = realSms;
    }
    expect(seen).toEqual([
      { transfers: 1, lockFree: true },
      { transfers: 1, lockFree: true },
    ]);
  });

  it('a failed send cancels the new transfer (SMS_FAILED), withdraws both codes and leaves the seat free to transfer', async () => {
    const [seatId] = (await soldSeats(t, fan.id)) as [string];
    t.ctx.sms = provider(async () => undefined, true);
    try {
      const res = await initiate(t, fan, fan, fan2, seatId, 10);
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ success: false, error_code: 'SERVICE_UNAVAILABLE' });
      expect(JSON.stringify(res.body)).not.toMatch(/at .*\.ts|stack/);
    } finally {
      t.ctx.sms = realSms;
    }
    const { rows } = await t.ctx.pool.query<{ id: string; status: string; closed_reason: string }>(
      'SELECT id, status, closed_reason FROM transfers WHERE seat_id = $1',
      [seatId],
    );
    expect(rows).toMatchObject([{ status: 'CANCELLED', closed_reason: 'SMS_FAILED' }]);
    const pending = await t.ctx.pool.query(`SELECT 1 FROM otp_challenges WHERE reference_id = $1 AND status = 'PENDING'`, [rows[0]!.id]);
    expect(pending.rowCount).toBe(0);
    // Once the provider is back, the same seat can be transferred: nothing blocks it.
    expect((await initiate(t, fan, fan, fan2, seatId, 10)).status).toBe(201);
  });
});

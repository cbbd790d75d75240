import { randomUUID } from 'node:crypto';
import { issueCredential } from '@ticketgate/crypto';
import { expect } from 'vitest';
import { DEMO, createTestApp, demoUser, tokenFor, type TestApp } from './helpers/app.js';

/** Every transfer test file: a seeded database, and OTP sends not rate limited (tests send many codes per user). */
export function createTransferTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  return createTestApp({ seed: true, env: { RATE_LIMIT_OTP_PER_MINUTE: '10000', ...env } });
}

export type Actor = Awaited<ReturnType<typeof demoUser>>;

export async function actors(t: TestApp) {
  const [fan, fan2, flagged, staff, operator, admin] = await Promise.all(
    (['fan', 'fan2', 'flagged', 'staff', 'operator', 'admin'] as const).map((k) => demoUser(t, DEMO[k])),
  );
  return { fan: fan!, fan2: fan2!, flagged: flagged!, staff: staff!, operator: operator!, admin: admin! };
}

/**
 * Seats of the 5,000-seat upcoming event that no test has used yet, sold to
 * `ownerId` directly (the purchase API is another module's concern).
 */
export async function soldSeats(t: TestApp, ownerId: string, n = 1, event = 'TicketGate Live: Arena Night'): Promise<string[]> {
  const { rows } = await t.ctx.pool.query<{ id: string }>(
    `UPDATE seats SET status = 'SOLD', owner_user_id = $1
      WHERE id IN (SELECT s.id FROM seats s JOIN events e ON e.id = s.event_id
                    WHERE e.name = $2 AND s.status = 'AVAILABLE' ORDER BY s.row_label, s.seat_number LIMIT $3 FOR UPDATE)
      RETURNING id`,
    [ownerId, event, n],
  );
  expect(rows).toHaveLength(n);
  return rows.map((r) => r.id);
}

/** A user with exactly `cents` credits, so tests of partial freezes do not depend on each other. */
export async function userWith(t: TestApp, cents: number, name: string): Promise<Actor> {
  const { rows } = await t.ctx.pool.query<{ id: string }>(
    `INSERT INTO users (email, phone, display_name, password_hash, balance_cents) VALUES ($1, '+6590000000', $2, 'x', $3) RETURNING id`,
    [`${name}-${randomUUID()}@test.invalid`, name, cents],
  );
  const id = rows[0]!.id;
  if (cents > 0) {
    await t.ctx.pool.query(`INSERT INTO credit_ledger (user_id, amount_cents, balance_after, kind) VALUES ($1, $2, $2, 'OPENING')`, [
      id,
      cents,
    ]);
  }
  return { id, role: 'fan', token: await tokenFor(t, id, 'fan') };
}

export async function checkIn(t: TestApp, seatId: string): Promise<void> {
  await t.ctx.pool.query(`UPDATE seats SET status = 'CHECKED_IN', checked_in_at = now() WHERE id = $1`, [seatId]);
}

/** The code in the newest SMS sent to the user (development outbox). */
export async function lastOtp(t: TestApp, userId: string): Promise<string> {
  const { rows } = await t.ctx.pool.query<{ body: string }>('SELECT body FROM sms_outbox WHERE user_id = $1 ORDER BY id DESC LIMIT 1', [
    userId,
  ]);
  const code = /\b(\d{6})\b/.exec(rows[0]?.body ?? '')?.[1];
  if (!code) throw new Error(`no OTP in the outbox for ${userId}`);
  return code;
}

/** A 6-digit code different from the right one. */
export const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

export async function api(t: TestApp, method: 'GET' | 'POST', url: string, actor: Actor | null, payload?: object) {
  const res = await t.app.inject({
    method,
    url,
    ...(actor ? { headers: { authorization: `Bearer ${actor.token}` } } : {}),
    ...(payload ? { payload } : {}),
  });
  return { status: res.statusCode, body: res.json() };
}

export async function initiate(t: TestApp, by: Actor, seller: Actor, buyer: Actor, seatId: string, credits: number) {
  return api(t, 'POST', '/api/transfer/initiate', by, {
    seat_id: seatId,
    seller_user_id: seller.id,
    buyer_user_id: buyer.id,
    credits_amount: credits,
  });
}

/** Initiates (as the seller) and returns the transfer id with both parties' codes. */
export async function pendingTransfer(t: TestApp, seller: Actor, buyer: Actor, seatId: string, credits: number) {
  const res = await initiate(t, seller, seller, buyer, seatId, credits);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const id: string = res.body.data.transfer_id;
  return { id, sellerOtp: await lastOtp(t, seller.id), buyerOtp: await lastOtp(t, buyer.id) };
}

export async function confirm(t: TestApp, by: Actor, transfer: { id: string; sellerOtp?: string; buyerOtp?: string }) {
  return api(t, 'POST', '/api/transfer/confirm', by, {
    transfer_id: transfer.id,
    ...(transfer.sellerOtp ? { seller_otp: transfer.sellerOtp } : {}),
    ...(transfer.buyerOtp ? { buyer_otp: transfer.buyerOtp } : {}),
  });
}

export async function completedTransfer(t: TestApp, seller: Actor, buyer: Actor, seatId: string, credits: number) {
  const p = await pendingTransfer(t, seller, buyer, seatId, credits);
  const res = await confirm(t, buyer, p);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return p.id;
}

export function expectError(res: { status: number; body: { success: boolean; error_code?: string } }, status: number, code: string) {
  expect({ status: res.status, success: res.body.success, code: res.body.error_code }, JSON.stringify(res.body)).toEqual({
    status,
    success: false,
    code,
  });
}

export async function transferRow(t: TestApp, id: string) {
  const { rows } = await t.ctx.pool.query('SELECT * FROM transfers WHERE id = $1', [id]);
  return rows[0];
}

export async function seatRow(t: TestApp, id: string) {
  const { rows } = await t.ctx.pool.query<{ status: string; owner_user_id: string; generation: number; seq: number; event_id: string }>(
    'SELECT status, owner_user_id, generation, seq, event_id FROM seats WHERE id = $1',
    [id],
  );
  return rows[0]!;
}

export async function balances(t: TestApp, ...users: Actor[]) {
  const { rows } = await t.ctx.pool.query<{ id: string; balance_cents: number; frozen_cents: number }>(
    'SELECT id, balance_cents, frozen_cents FROM users WHERE id = ANY($1::uuid[])',
    [users.map((u) => u.id)],
  );
  return users.map((u) => rows.find((r) => r.id === u.id)!);
}

/** Spends credits as if on something else (keeps the ledger consistent). */
export async function spend(t: TestApp, user: Actor, cents: number) {
  const { moveCredits } = await import('../src/domain/credits/ledger.js');
  await moveCredits(t.ctx.pool, { userId: user.id, amountCents: -cents, kind: 'ADJUSTMENT', referenceType: 'test' });
}

/** Ledger rows written for one transfer. */
export async function ledgerOf(t: TestApp, transferId: string) {
  const { rows } = await t.ctx.pool.query<{ user_id: string; amount_cents: number; kind: string }>(
    `SELECT user_id, amount_cents, kind FROM credit_ledger WHERE reference_type = 'transfer' AND reference_id = $1 ORDER BY id`,
    [transferId],
  );
  return rows;
}

/** Every user's balance equals the sum of their ledger rows. */
export async function expectLedgerConsistent(t: TestApp) {
  const { rows } = await t.ctx.pool.query(
    `SELECT u.id FROM users u LEFT JOIN credit_ledger l ON l.user_id = u.id
      GROUP BY u.id, u.balance_cents HAVING u.balance_cents <> COALESCE(sum(l.amount_cents), 0)`,
  );
  expect(rows).toEqual([]);
}

/** A QR credential as the ticket holder's app would show it, for the seat's current generation. */
export async function issueQr(t: TestApp, seatId: string): Promise<string> {
  const { rows } = await t.ctx.pool.query<{ event_id: string; hall_id: string; generation: number }>(
    'SELECT s.event_id, e.hall_id, s.generation FROM seats s JOIN events e ON e.id = s.event_id WHERE s.id = $1',
    [seatId],
  );
  const s = rows[0]!;
  const keys = { issuing: await t.ctx.keys.activeIssuingKey(), gate: await t.ctx.keys.gateKeyFor(s.event_id) };
  return issueCredential(
    { seatId, eventId: s.event_id, hallCode: s.hall_id, generation: s.generation, issuedAt: Math.floor(t.clock.now() / 1000) },
    keys,
  );
}

/**
 * What the verifier decides about a credential's holder: authentic and fresh,
 * and of the seat's current generation (an older one belongs to a previous holder).
 */
export async function qrGenerationCurrent(t: TestApp, text: string): Promise<boolean> {
  const outcome = await t.ctx.keys.verify(text, t.clock.now());
  expect(outcome.status).toBe('valid');
  if (outcome.status !== 'valid') return false;
  const seat = await seatRow(t, outcome.claims.seatId);
  return seat.generation === outcome.claims.generation;
}

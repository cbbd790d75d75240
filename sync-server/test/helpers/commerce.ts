import type { LightMyRequestResponse } from 'fastify';
import { tokenFor, type TestApp } from './app.js';

export const ARENA = 'TicketGate Live: Arena Night';
export const CHAMBER = 'Chamber Evening';
export const PAST = 'Opening Night (past)';

/** One authenticated request through inject; `ip` sets the client address (the socket's: TRUST_PROXY is off in tests). */
export function call(
  t: TestApp,
  method: 'GET' | 'POST',
  url: string,
  token?: string,
  payload?: unknown,
  ip?: string,
): Promise<LightMyRequestResponse> {
  return t.app.inject({
    method,
    url,
    headers: token ? { authorization: `Bearer ${token}` } : {},
    ...(ip ? { remoteAddress: ip } : {}),
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
}

export async function eventIdOf(t: TestApp, name: string): Promise<string> {
  const { rows } = await t.ctx.pool.query<{ id: string }>('SELECT id FROM events WHERE name = $1', [name]);
  if (!rows[0]) throw new Error(`no event ${name}`);
  return rows[0].id;
}

/** Available seats of an event in seat-map order, optionally of one category; `skip` leaves the first ones to other tests. */
export async function freeSeats(
  t: TestApp,
  eventName: string,
  n: number,
  opts: { category?: string; skip?: number } = {},
): Promise<string[]> {
  const { rows } = await t.ctx.pool.query<{ id: string }>(
    `SELECT s.id FROM seats s JOIN events e ON e.id = s.event_id
      WHERE e.name = $1 AND s.status = 'AVAILABLE' AND ($2::text IS NULL OR s.category = $2)
      ORDER BY s.row_label, s.seat_number OFFSET $3 LIMIT $4`,
    [eventName, opts.category ?? null, opts.skip ?? 0, n],
  );
  if (rows.length < n) throw new Error(`only ${rows.length} free seats in ${eventName}`);
  return rows.map((r) => r.id);
}

export async function seatRow(t: TestApp, seatId: string) {
  const { rows } = await t.ctx.pool.query<{
    status: string;
    held_by: string | null;
    held_until: Date | null;
    owner_user_id: string | null;
    generation: number;
    checked_in_at: Date | null;
    seq: number;
  }>('SELECT status, held_by, held_until, owner_user_id, generation, checked_in_at, seq FROM seats WHERE id = $1', [seatId]);
  return rows[0]!;
}

export async function orderRow(t: TestApp, orderId: string) {
  const { rows } = await t.ctx.pool.query<{ status: string; otp_verified_at: Date | null; amount_cents: number; user_id: string }>(
    'SELECT status, otp_verified_at, amount_cents, user_id FROM orders WHERE id = $1',
    [orderId],
  );
  return rows[0]!;
}

export async function balanceCents(t: TestApp, userId: string): Promise<number> {
  const { rows } = await t.ctx.pool.query<{ balance_cents: number }>('SELECT balance_cents FROM users WHERE id = $1', [userId]);
  return rows[0]!.balance_cents;
}

/** The ledger must always explain the balance: sum of a user's movements = their balance. */
export async function ledgerMatchesBalance(t: TestApp, userId: string): Promise<boolean> {
  const { rows } = await t.ctx.pool.query<{ ok: boolean }>(
    `SELECT u.balance_cents = COALESCE((SELECT sum(amount_cents) FROM credit_ledger WHERE user_id = u.id), 0) AS ok
       FROM users u WHERE u.id = $1`,
    [userId],
  );
  return rows[0]!.ok;
}

/** Reserve + pay through the API; returns the order id. */
export async function buySeat(t: TestApp, token: string, seatId: string): Promise<string> {
  const r = await call(t, 'POST', '/api/reserve', token, { seat_id: seatId });
  if (r.statusCode !== 200) throw new Error(`reserve failed: ${r.body}`);
  const orderId = r.json().data.order_id as string;
  const p = await call(t, 'POST', '/api/pay', token, { order_id: orderId });
  if (p.statusCode !== 200) throw new Error(`pay failed: ${p.body}`);
  return orderId;
}

/**
 * Many fans straight in SQL, sharing one password hash taken from a demo account
 * (no argon2 per user), each with a token from the signer.
 */
export async function createFans(t: TestApp, n: number, opts: { balanceCents?: number; prefix?: string } = {}) {
  const prefix = opts.prefix ?? `load${Date.now().toString(36)}`;
  const { rows } = await t.ctx.pool.query<{ id: string }>(
    `INSERT INTO users (email, phone, display_name, password_hash, role, balance_cents)
     SELECT $1 || i || '@test.ticketgate.test', '+6580' || lpad(i::text, 6, '0'), 'Load Fan ' || i,
            (SELECT password_hash FROM users WHERE email = 'fan@demo.ticketgate.test'), 'fan', $3
       FROM generate_series(1, $2) AS i
     RETURNING id`,
    [prefix, n, opts.balanceCents ?? 0],
  );
  if (opts.balanceCents) {
    await t.ctx.pool.query(
      `INSERT INTO credit_ledger (user_id, amount_cents, balance_after, kind, reference_type)
       SELECT unnest($1::uuid[]), $2, $2, 'OPENING', 'test'`,
      [rows.map((r) => r.id), opts.balanceCents],
    );
  }
  return Promise.all(rows.map(async (r) => ({ id: r.id, token: await tokenFor(t, r.id, 'fan') })));
}

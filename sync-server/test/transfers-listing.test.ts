import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cancelExpiredTransfers } from '../src/domain/transfers/expire-transfers.js';
import type { TestApp } from './helpers/app.js';
import {
  actors,
  api,
  completedTransfer,
  confirm,
  createTransferTestApp,
  expectError,
  initiate,
  pendingTransfer,
  soldSeats,
  transferRow,
  userWith,
  type Actor,
} from './transfers-fixtures.js';

let t: TestApp;
let fan: Actor, operator: Actor, admin: Actor;

beforeAll(async () => {
  t = await createTransferTestApp();
  ({ fan, operator, admin } = await actors(t));
});
afterAll(async () => t?.close());

describe('GET /api/transfers, /api/transfers/:id, /api/ops/transfers', () => {
  let s: Actor, b: Actor, x: Actor;
  const ids = {} as Record<'completed' | 'pending1' | 'pending2' | 'bought', string>;

  beforeAll(async () => {
    [s, b, x] = await Promise.all([userWith(t, 0, 'seller'), userWith(t, 1000_00, 'buyer'), userWith(t, 1000_00, 'other')]);
    const seats = await soldSeats(t, s.id, 3);
    const [xSeat] = await soldSeats(t, x.id);
    ids.completed = await completedTransfer(t, s, b, seats[0]!, 12.5);
    t.clock.advance(1000);
    ids.pending1 = (await pendingTransfer(t, s, b, seats[1]!, 1)).id;
    t.clock.advance(1000);
    ids.pending2 = (await pendingTransfer(t, s, b, seats[2]!, 2)).id;
    t.clock.advance(1000);
    ids.bought = (await pendingTransfer(t, x, s, xSeat!, 3)).id;
    t.clock.advance(-3000);
  });

  it("lists the caller's transfers as seller or buyer, newest first, paginated and filtered", async () => {
    const all = await api(t, 'GET', '/api/transfers', s);
    expect(all.status).toBe(200);
    expect(all.body.pagination).toEqual({ page: 1, per_page: 20, total: 4, total_pages: 1 });
    expect(all.body.data.map((d: { transfer_id: string }) => d.transfer_id)).toEqual([
      ids.bought,
      ids.pending2,
      ids.pending1,
      ids.completed,
    ]);

    const page2 = await api(t, 'GET', '/api/transfers?page=2&per_page=3', s);
    expect(page2.body.pagination).toEqual({ page: 2, per_page: 3, total: 4, total_pages: 2 });
    expect(page2.body.data.map((d: { transfer_id: string }) => d.transfer_id)).toEqual([ids.completed]);

    expect((await api(t, 'GET', '/api/transfers?role=buyer', s)).body.pagination.total).toBe(1);
    expect((await api(t, 'GET', '/api/transfers?role=seller', s)).body.pagination.total).toBe(3);
    const completed = await api(t, 'GET', '/api/transfers?status=COMPLETED', s);
    expect(completed.body.data).toHaveLength(1);
    expect(completed.body.data[0]).toMatchObject({
      transfer_id: ids.completed,
      status: 'COMPLETED',
      seller_user_id: s.id,
      buyer_user_id: b.id,
      initiated_by: s.id,
      credits_amount: 12.5,
      seller_verified: true,
      buyer_verified: true,
      event_name: 'TicketGate Live: Arena Night',
      dispute: null,
      resolution: null,
      credits_returned: null,
    });

    expect((await api(t, 'GET', '/api/transfers', b)).body.pagination.total).toBe(3);
    expect((await api(t, 'GET', '/api/transfers', admin)).body.pagination.total).toBe(0);
    expectError(await api(t, 'GET', '/api/transfers?status=NOPE', s), 400, 'VALIDATION_ERROR');
    expectError(await api(t, 'GET', '/api/transfers?per_page=101', s), 400, 'VALIDATION_ERROR');
    expectError(await api(t, 'GET', '/api/transfers', null), 401, 'UNAUTHORIZED');
  });

  it('shows one transfer to its parties and admins only', async () => {
    const one = await api(t, 'GET', `/api/transfers/${ids.pending1}`, b);
    expect(one.status).toBe(200);
    expect(one.body.data).toMatchObject({
      transfer_id: ids.pending1,
      status: 'PENDING_OTP',
      seller_verified: false,
      buyer_verified: false,
    });
    expect((await api(t, 'GET', `/api/transfers/${ids.pending1}`, s)).status).toBe(200);
    expect((await api(t, 'GET', `/api/transfers/${ids.pending1}`, admin)).status).toBe(200);
    expectError(await api(t, 'GET', `/api/transfers/${ids.pending1}`, x), 403, 'FORBIDDEN');
    expectError(await api(t, 'GET', `/api/transfers/${ids.pending1}`, operator), 403, 'FORBIDDEN');
    expectError(await api(t, 'GET', `/api/transfers/${randomUUID()}`, s), 404, 'TRANSFER_NOT_FOUND');
    expectError(await api(t, 'GET', '/api/transfers/not-a-uuid', s), 400, 'INVALID_UUID');
  });

  it("lists every transfer for admins (and their venues' for operators), by status, seat or user", async () => {
    const byUser = await api(t, 'GET', `/api/ops/transfers?user_id=${s.id}`, admin);
    expect(byUser.status).toBe(200);
    expect(byUser.body.pagination.total).toBe(4);
    const pending = await api(t, 'GET', `/api/ops/transfers?user_id=${s.id}&status=PENDING_OTP`, admin);
    expect(pending.body.data.map((d: { transfer_id: string }) => d.transfer_id).sort()).toEqual(
      [ids.pending1, ids.pending2, ids.bought].sort(),
    );
    const all = await api(t, 'GET', '/api/ops/transfers?per_page=100', admin);
    expect(all.body.pagination.total).toBeGreaterThanOrEqual(4);
    const seatId = (await transferRow(t, ids.completed)).seat_id;
    expect(
      (await api(t, 'GET', `/api/ops/transfers?seat_id=${seatId}`, admin)).body.data.map((d: { transfer_id: string }) => d.transfer_id),
    ).toEqual([ids.completed]);
    expectError(await api(t, 'GET', '/api/ops/transfers', fan), 403, 'FORBIDDEN');
    // Operators read their venues' transfers (the demo operator has both venues; per-venue scoping: console-scoping.test.ts).
    expect((await api(t, 'GET', `/api/ops/transfers?user_id=${s.id}`, operator)).body.pagination.total).toBe(4);
  });
});

describe('transfer expiry job', () => {
  it('is registered with the background jobs', () => {
    const job = t.ctx.jobs.find((j) => j.name === 'transfer-expiry');
    expect(job).toBeDefined();
    expect(job!.intervalMs(t.ctx)).toBe(t.config.SWEEP_INTERVAL_MS);
  });

  it('cancels pending transfers past their expiry, and only those; their codes die with them', async () => {
    const [a, b2] = await soldSeats(t, fan.id, 2);
    const buyer = await userWith(t, 100_00, 'buyer');
    const old = await pendingTransfer(t, fan, buyer, a!, 1);
    t.clock.advance(3600_000);
    const young = await pendingTransfer(t, fan, buyer, b2!, 1);
    const ttl = t.config.TRANSFER_TTL_SECONDS * 1000;
    t.clock.advance(ttl - 1800_000);
    try {
      await cancelExpiredTransfers(t.ctx);
      expect(await transferRow(t, old.id)).toMatchObject({ status: 'CANCELLED', closed_reason: 'EXPIRED' });
      expect(await transferRow(t, young.id)).toMatchObject({ status: 'PENDING_OTP' });
      const { rows } = await t.ctx.pool.query(`SELECT status FROM otp_challenges WHERE reference_id = $1`, [old.id]);
      expect(rows.map((r) => r.status)).toEqual(['SUPERSEDED', 'SUPERSEDED']);
      expectError(await confirm(t, fan, old), 409, 'TRANSFER_INVALID_STATE');
      // The seat is free for a new transfer.
      expect((await initiate(t, fan, fan, buyer, a!, 1)).status).toBe(201);
    } finally {
      t.clock.advance(-(3600_000 + ttl - 1800_000));
    }
  });

  it('two sweepers at once cancel each expired transfer exactly once', async () => {
    const buyer = await userWith(t, 100_00, 'buyer');
    const seats = await soldSeats(t, fan.id, 6);
    const pending = [];
    for (const seat of seats) pending.push((await pendingTransfer(t, fan, buyer, seat, 1)).id);
    const ttl = t.config.TRANSFER_TTL_SECONDS * 1000;
    t.clock.advance(ttl);
    try {
      const counts = await Promise.all([cancelExpiredTransfers(t.ctx), cancelExpiredTransfers(t.ctx)]);
      expect(counts[0]! + counts[1]!).toBeGreaterThanOrEqual(pending.length);
      const { rows } = await t.ctx.pool.query<{ status: string }>('SELECT status FROM transfers WHERE id = ANY($1::uuid[])', [pending]);
      expect(rows.map((r) => r.status)).toEqual(pending.map(() => 'CANCELLED'));
      expect(await cancelExpiredTransfers(t.ctx)).toBe(0);
    } finally {
      t.clock.advance(-ttl);
    }
  });
});

describe('OpenAPI', () => {
  it('documents every transfer endpoint with its request, responses and error codes', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/docs/json' });
    expect(res.statusCode).toBe(200);
    const paths = res.json().paths;
    const expectations: [string, string, string[], string[]][] = [
      [
        '/api/transfer/initiate',
        'post',
        ['201', '400', '402', '403', '404', '409', '410'],
        ['NOT_SEAT_OWNER', 'SELF_TRANSFER', 'TRANSFER_IN_PROGRESS', 'USER_NOT_FOUND'],
      ],
      [
        '/api/transfer/confirm',
        'post',
        ['200', '401', '404', '409', '410', '428', '429'],
        ['OTP_INVALID', 'OTP_EXPIRED', 'OTP_MAX_RETRIES', 'TRANSFER_INVALID_STATE'],
      ],
      ['/api/transfer/dispute', 'post', ['200', '403', '404', '409'], ['FORBIDDEN', 'TRANSFER_INVALID_STATE']],
      ['/api/transfer/reverse', 'post', ['200', '403', '404', '409'], ['SEAT_UNAVAILABLE', 'TRANSFER_INVALID_STATE']],
      ['/api/transfer/resolve', 'post', ['200', '403', '404', '409'], ['TRANSFER_INVALID_STATE']],
      ['/api/transfers', 'get', ['200', '400', '401'], ['VALIDATION_ERROR']],
      ['/api/transfers/{transfer_id}', 'get', ['200', '400', '403', '404'], ['INVALID_UUID', 'TRANSFER_NOT_FOUND']],
      ['/api/ops/transfers', 'get', ['200', '403'], ['FORBIDDEN']],
    ];
    for (const [path, method, statuses, codes] of expectations) {
      const op = paths[path]?.[method];
      expect(op, path).toBeDefined();
      expect(op.tags).toEqual(['Transfers']);
      expect(op.summary).toBeTruthy();
      expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(statuses));
      for (const code of codes) expect(op.description, `${path} ${code}`).toContain(code);
      if (method === 'post') expect(op.requestBody?.content?.['application/json']?.schema).toBeDefined();
    }
  });
});

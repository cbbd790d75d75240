import { randomUUID } from 'node:crypto';
import { issueCredential } from '@ticketgate/crypto';
import { clockTime } from '@ticketgate/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { moveCredits } from '../src/domain/credits/ledger.js';
import { createContext } from '../src/server.js';
import { DEMO, TEST_ENV, createTestApp, demoUser, tokenFor, type TestApp } from './helpers/app.js';
import { ARENA, buySeat, call, eventIdOf, freeSeats, seatRow } from './helpers/commerce.js';

type User = { id: string; token: string };

describe('POST /api/verify (online verification by staff)', () => {
  let t: TestApp;
  let fan: User;
  let staff: User;
  let staff2: User;
  let admin: User;
  let arenaId: string;
  let pool: string[];
  const nextSeat = () => pool.shift()!;

  beforeAll(async () => {
    t = await createTestApp({ seed: true });
    [fan, staff, admin] = await Promise.all([demoUser(t, DEMO.fan), demoUser(t, DEMO.staff), demoUser(t, DEMO.admin)]);
    const { rows } = await t.ctx.pool.query(
      `INSERT INTO users (email, phone, display_name, password_hash, role)
       SELECT 'staff2@test.ticketgate.test', '+6590000002', 'Second Staff', password_hash, 'staff' FROM users WHERE email = $1
       RETURNING id`,
      [DEMO.staff],
    );
    staff2 = { id: rows[0].id, token: await tokenFor(t, rows[0].id, 'staff') };
    arenaId = await eventIdOf(t, ARENA);
    await moveCredits(t.ctx.pool, { userId: fan.id, amountCents: 10_000_00, kind: 'ADJUSTMENT', referenceType: 'test' });
    pool = await freeSeats(t, ARENA, 40, { category: 'CAT3' });
  });
  afterAll(async () => t?.close());

  /** A sold ticket of the fan and its current QR text. */
  async function ticket(): Promise<{ seatId: string; qr: string }> {
    const seatId = nextSeat();
    await buySeat(t, fan.token, seatId);
    return { seatId, qr: await qrOf(seatId) };
  }
  async function qrOf(seatId: string): Promise<string> {
    const res = await call(t, 'GET', `/api/tickets/${seatId}/qr`, fan.token);
    expect(res.statusCode).toBe(200);
    return res.json().data.qr_payload;
  }
  /** A genuine credential with any claims (signed and sealed with the server's keys). */
  async function forge(claims: { seatId: string; generation?: number; hallCode?: string }): Promise<string> {
    return issueCredential(
      {
        seatId: claims.seatId,
        eventId: arenaId,
        hallCode: claims.hallCode ?? 'HALL-A',
        generation: claims.generation ?? 1,
        issuedAt: Math.floor(t.clock.now() / 1000),
      },
      { issuing: await t.ctx.keys.activeIssuingKey(), gate: await t.ctx.keys.gateKeyFor(arenaId) },
    );
  }
  const scan = (qr: string, who: User = staff, hall = 'HALL-A', extra: object = {}) =>
    call(t, 'POST', '/api/verify', who.token, { qr_payload: qr, hall_id: hall, ...extra });
  const scansOf = async (where: string, params: unknown[]) =>
    (await t.ctx.pool.query(`SELECT * FROM scans WHERE ${where} ORDER BY scanned_at, received_at`, params)).rows;

  it('SUCCESS: checks the seat in and logs the admission with the staff id, in one go', async () => {
    const { seatId, qr } = await ticket();
    const seqBefore = (await seatRow(t, seatId)).seq;
    const res = await scan(qr, staff, 'HALL-A', { staff_id: staff.id });
    expect(res.statusCode).toBe(200);
    const data = res.json().data;
    expect(data).toMatchObject({
      result: 'SUCCESS',
      message: '✅ Valid ticket. Welcome!',
      seat_id: seatId,
      event_id: arenaId,
      row_number: expect.any(String),
      seat_number: expect.any(Number),
      owner_name: 'Demo Fan',
    });
    const seat = await seatRow(t, seatId);
    expect(seat.status).toBe('CHECKED_IN');
    expect(seat.checked_in_at).not.toBeNull();
    expect(seat.seq).toBeGreaterThan(seqBefore);
    const rows = await scansOf('seat_id = $1', [seatId]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      result: 'SUCCESS',
      staff_user_id: staff.id,
      hall_id: 'HALL-A',
      event_id: arenaId,
      generation: 1,
      is_conflict: false,
    });
  });

  it('DUPLICATE: a second scan names the first admission time; the seat stays checked in', async () => {
    const { seatId, qr } = await ticket();
    await scan(qr);
    const [first] = await scansOf(`seat_id = $1 AND result = 'SUCCESS'`, [seatId]);
    const res = await scan(qr, staff2);
    const data = res.json().data;
    expect(data.result).toBe('DUPLICATE');
    expect(data.first_scanned_at).toBe(first.scanned_at.toISOString());
    expect(data.message).toBe(`⚠️ Already Checked In. This ticket was scanned at ${clockTime(first.scanned_at)}.`);
    expect((await scansOf(`seat_id = $1 AND result = 'DUPLICATE'`, [seatId]))[0]).toMatchObject({ staff_user_id: staff2.id });
  });

  it('two staff scanning one ticket at once: exactly one SUCCESS, the other DUPLICATE with the first scan time', async () => {
    for (let round = 0; round < 5; round++) {
      const { seatId, qr } = await ticket();
      const answers = await Promise.all([scan(qr, staff), scan(qr, staff2), scan(qr, staff)]);
      const results = answers.map((a) => a.json().data.result).sort();
      expect(results).toEqual(['DUPLICATE', 'DUPLICATE', 'SUCCESS']);
      const [admission, ...others] = await scansOf(`seat_id = $1 AND result = 'SUCCESS'`, [seatId]);
      expect(others).toEqual([]);
      for (const a of answers.filter((x) => x.json().data.result === 'DUPLICATE')) {
        expect(a.json().data.first_scanned_at).toBe(admission.scanned_at.toISOString());
      }
    }
  });

  it('DUPLICATE after a gate admitted the ticket (any canonical SUCCESS scan counts), naming the gate', async () => {
    const { seatId, qr } = await ticket();
    const { rows } = await t.ctx.pool.query(
      `INSERT INTO devices (hall_id, name, token_hash, box_public_key) VALUES ('HALL-A', 'North Gate 1', $1, 'pk') RETURNING id`,
      [randomUUID()],
    );
    const gateTime = new Date(t.clock.now() - 120_000);
    await t.ctx.pool.query(
      `INSERT INTO scans (client_scan_id, device_id, hall_id, event_id, seat_id, generation, result, scanned_at)
       VALUES ($1, $2, 'HALL-A', $3, $4, 1, 'SUCCESS', $5)`,
      [randomUUID(), rows[0].id, arenaId, seatId, gateTime],
    );
    const data = (await scan(qr)).json().data;
    expect(data.result).toBe('DUPLICATE');
    expect(data.first_scanned_at).toBe(gateTime.toISOString());
    expect(data.message).toBe(`⚠️ Already Checked In. This ticket was scanned at ${clockTime(gateTime)} at North Gate 1.`);
    expect((await seatRow(t, seatId)).status).toBe('SOLD');
  });

  it('WRONG_HALL names the right hall; the seat is untouched and the scan logged', async () => {
    const { seatId, qr } = await ticket();
    const data = (await scan(qr, staff, 'HALL-B')).json().data;
    expect(data).toEqual({ result: 'WRONG_HALL', message: '🔄 Wrong Hall — Go to Hall HALL-A', correct_hall: 'HALL-A' });
    expect((await seatRow(t, seatId)).status).toBe('SOLD');
    expect(await scansOf(`seat_id = $1`, [seatId])).toMatchObject([{ result: 'WRONG_HALL', hall_id: 'HALL-B', staff_user_id: staff.id }]);
    expect((await scan(qr)).json().data.result).toBe('SUCCESS');
  });

  it('EXPIRED for a code older than 60 s (plus skew) or from the future', async () => {
    const { seatId, qr } = await ticket();
    t.clock.advance(71_000);
    try {
      expect((await scan(qr)).json().data).toEqual({ result: 'EXPIRED', message: '⏰ Expired QR — Refresh ticket in app' });
    } finally {
      t.clock.advance(-71_000);
    }
    t.clock.advance(-20_000);
    try {
      expect((await scan(qr)).json().data.result).toBe('EXPIRED');
    } finally {
      t.clock.advance(20_000);
    }
    expect((await seatRow(t, seatId)).status).toBe('SOLD');
    expect((await scansOf(`seat_id = $1`, [seatId])).map((r) => r.result)).toEqual(['EXPIRED', 'EXPIRED']);
    expect((await scan(await qrOf(seatId))).json().data.result).toBe('SUCCESS');
  });

  it('NOT_FOUND for a genuine-looking credential of a seat that does not exist (logged without a seat)', async () => {
    const ghost = randomUUID();
    const data = (await scan(await forge({ seatId: ghost }))).json().data;
    expect(data).toEqual({ result: 'NOT_FOUND', message: '🚫 Possible Counterfeit' });
    const [row] = await scansOf(`staff_user_id = $1 AND result = 'NOT_FOUND' AND seat_id IS NULL`, [staff.id]);
    expect(row).toMatchObject({ event_id: arenaId, hall_id: 'HALL-A' });
  });

  it('NOT_FOUND for a code of an older generation (ticket transferred or reissued since)', async () => {
    const { seatId, qr } = await ticket();
    await t.ctx.pool.query('UPDATE seats SET generation = generation + 1 WHERE id = $1', [seatId]);
    const data = (await scan(qr)).json().data;
    expect(data.result).toBe('NOT_FOUND');
    expect(data.seat_id).toBe(seatId);
    expect((await seatRow(t, seatId)).status).toBe('SOLD');
    expect((await scan(await qrOf(seatId))).json().data.result).toBe('SUCCESS');
  });

  it('UNPAID for a held seat', async () => {
    const seatId = nextSeat();
    await call(t, 'POST', '/api/reserve', fan.token, { seat_id: seatId });
    const data = (await scan(await forge({ seatId }))).json().data;
    expect(data).toMatchObject({ result: 'UNPAID', message: '❌ Incomplete Payment', seat_id: seatId });
    expect((await seatRow(t, seatId)).status).toBe('HELD');
  });

  it('QR_INVALID (HTTP 400) for undecodable or tampered payloads, and the scan is still logged', async () => {
    const { seatId, qr } = await ticket();
    const flipped = qr.slice(0, 100) + (qr[100] === 'A' ? 'B' : 'A') + qr.slice(101);
    const before = (await scansOf(`staff_user_id = $1 AND result = 'QR_INVALID'`, [staff2.id])).length;
    for (const payload of ['HELLO-WORLD', 'not base32 at all!', flipped]) {
      const res = await scan(payload, staff2, 'HALL-A');
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ success: false, error_code: 'QR_INVALID' });
    }
    const logged = await scansOf(`staff_user_id = $1 AND result = 'QR_INVALID'`, [staff2.id]);
    expect(logged.length - before).toBe(3);
    expect(logged.at(-1)).toMatchObject({ hall_id: 'HALL-A', seat_id: null, reason: expect.any(String) });
    expect((await seatRow(t, seatId)).status).toBe('SOLD');
  });

  it('accepts what scanners send: lower case, surrounding whitespace, CR/LF', async () => {
    const { qr } = await ticket();
    expect((await scan(`  ${qr.toLowerCase()}\r\n`)).json().data.result).toBe('SUCCESS');
  });

  it('FORBIDDEN for fans and for a staff_id that is not the caller; nothing is logged or checked in', async () => {
    const { seatId, qr } = await ticket();
    const byFan = await scan(qr, fan);
    expect(byFan.statusCode).toBe(403);
    expect(byFan.json().error_code).toBe('FORBIDDEN');
    const spoofed = await scan(qr, staff, 'HALL-A', { staff_id: staff2.id });
    expect(spoofed.statusCode).toBe(403);
    expect(spoofed.json().error_code).toBe('FORBIDDEN');
    expect(await scansOf('seat_id = $1', [seatId])).toEqual([]);
    expect((await seatRow(t, seatId)).status).toBe('SOLD');
    expect((await scan(qr, admin)).json().data.result).toBe('SUCCESS');
  });

  it('SERVICE_UNAVAILABLE (503) when the database is unreachable: retry the scan', async () => {
    const config = loadConfig({ ...TEST_ENV, DATABASE_URL: 'postgres://nobody:x@127.0.0.1:1/none' });
    const ctx = createContext(config, config.DATABASE_URL!);
    const app = await build(ctx, { logger: false });
    try {
      const { token } = await ctx.signer.sign({ userId: staff.id, role: 'staff', typ: 'access', ttlSeconds: 60, session: randomUUID() });
      const res = await app.inject({
        method: 'POST',
        url: '/api/verify',
        headers: { authorization: `Bearer ${token}` },
        payload: { qr_payload: (await ticket()).qr, hall_id: 'HALL-A' },
      });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ success: false, error_code: 'SERVICE_UNAVAILABLE' });
    } finally {
      await app.close();
      await ctx.pool.end();
    }
  });

  it('VALIDATION_ERROR (400) for a malformed body; UNAUTHORIZED (401) without a token', async () => {
    const res = await call(t, 'POST', '/api/verify', staff.token, { qr_payload: 'X' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error_code).toBe('VALIDATION_ERROR');
    expect((await call(t, 'POST', '/api/verify', staff.token, { qr_payload: 'X', hall_id: 'HALL-A', staff_id: 'me' })).statusCode).toBe(
      400,
    );
    expect((await call(t, 'POST', '/api/verify', undefined, { qr_payload: 'X', hall_id: 'HALL-A' })).statusCode).toBe(401);
  });
});

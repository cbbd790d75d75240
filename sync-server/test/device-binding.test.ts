// Device-bound passes on the server: binding a phone key to a ticket (owner only,
// validated, one phone at a time, audited, rate-limited) and /api/verify reading
// the rotating codes such a phone makes, through the same admission rule.
import { generateKeyPairSync, sign, webcrypto, type KeyObject } from 'node:crypto';
import { assembleCode, codeSignedMessage, fromBase64Url, stepAt, STEP_SECONDS, toBase64Url } from '@ticketgate/crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, createTestApp, demoUser, type TestApp } from './helpers/app.js';
import { ARENA, buySeat, call, freeSeats, seatRow } from './helpers/commerce.js';
import { moveCredits } from '../src/domain/credits/ledger.js';

type User = { id: string; token: string };

/** A phone key as the fan app holds it: the raw public key it registers and a signer for its codes. */
interface Phone {
  algorithm: 'Ed25519' | 'P-256';
  publicKey: string;
  sign(message: Uint8Array): Promise<Uint8Array>;
}

function ed25519Phone(): Phone {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url');
  return { algorithm: 'Ed25519', publicKey: toBase64Url(raw), sign: async (m) => new Uint8Array(sign(null, m, privateKey as KeyObject)) };
}

/** ECDSA P-256 through WebCrypto, the fallback of browsers without Ed25519 (raw r ‖ s signatures). */
async function p256Phone(): Promise<Phone> {
  const pair = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
  const raw = new Uint8Array(await webcrypto.subtle.exportKey('raw', pair.publicKey));
  return {
    algorithm: 'P-256',
    publicKey: toBase64Url(raw),
    sign: async (m) => new Uint8Array(await webcrypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, pair.privateKey, m)),
  };
}

describe('device-bound passes', () => {
  let t: TestApp;
  let fan: User;
  let fan2: User;
  let staff: User;
  let seats: string[];

  beforeAll(async () => {
    t = await createTestApp({ seed: true, env: { RATE_LIMIT_DEVICE_BIND_PER_HOUR: '16' } });
    [fan, fan2, staff] = await Promise.all([demoUser(t, DEMO.fan), demoUser(t, DEMO.fan2), demoUser(t, DEMO.staff)]);
    await moveCredits(t.ctx.pool, { userId: fan.id, amountCents: 10_000_00, kind: 'ADJUSTMENT', referenceType: 'test' });
    seats = await freeSeats(t, ARENA, 6, { category: 'CAT3', skip: 100 });
    for (const s of seats) await buySeat(t, fan.token, s);
  });
  afterAll(async () => t?.close());

  const bind = (seatId: string, phone: Phone, who: User = fan, extra: object = {}) =>
    call(t, 'POST', `/api/tickets/${seatId}/device`, who.token, { algorithm: phone.algorithm, public_key: phone.publicKey, ...extra });
  const passOf = async (seatId: string, phone: Phone, extra: object = {}) => {
    const res = await bind(seatId, phone, fan, extra);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().data as {
      pass: string;
      generation: number;
      binding: string;
      valid_from: string;
      valid_until: string;
      step_seconds: number;
    };
  };
  const codeOf = async (pass: string, phone: Phone, atMs = t.clock.now()) => {
    const bytes = fromBase64Url(pass);
    const step = stepAt(atMs);
    return assembleCode(bytes, step, await phone.sign(codeSignedMessage(bytes, step)));
  };
  /** The verdict at a HALL-A door (QR_INVALID comes as the error envelope) and the reason the entry log gives. */
  const scan = async (code: string) => {
    const res = await call(t, 'POST', '/api/verify', staff.token, { qr_payload: code, hall_id: 'HALL-A' });
    const body = res.json();
    // Each scan commits on its own, so the newest row is the one with the newest transaction id.
    const { rows } = await t.ctx.pool.query(`SELECT reason FROM scans WHERE staff_user_id = $1 ORDER BY xmin::text::bigint DESC LIMIT 1`, [
      staff.id,
    ]);
    return { result: (body.data?.result ?? body.error_code) as string, reason: rows[0]?.reason as string | null };
  };

  it('binds an Ed25519 phone key: a 198-byte pass whose codes the server admits once, then DUPLICATE', async () => {
    const phone = ed25519Phone();
    const p = await passOf(seats[0]!, phone);
    expect(fromBase64Url(p.pass)).toHaveLength(198);
    expect(p).toMatchObject({ binding: 'bound', generation: (await seatRow(t, seats[0]!)).generation, step_seconds: STEP_SECONDS });
    expect(Date.parse(p.valid_until)).toBeGreaterThan(t.clock.now());
    const code = await codeOf(p.pass, phone);
    expect(code).toHaveLength(426);
    expect(code).toMatch(/^A[I-L][A-Z2-7]+$/);
    expect((await scan(code)).result).toBe('SUCCESS');
    expect((await scan(code)).result).toBe('DUPLICATE');
  });

  it('a P-256 phone key (the fallback) works the same', async () => {
    const phone = await p256Phone();
    const p = await passOf(seats[1]!, phone);
    expect((await scan(await codeOf(p.pass, phone))).result).toBe('SUCCESS');
  });

  it('a code two steps old is EXPIRED; one made by another key from the copied pass is QR_INVALID; the same key again changes nothing', async () => {
    const phone = ed25519Phone();
    const p = await passOf(seats[2]!, phone);
    const old = await codeOf(p.pass, phone, t.clock.now() - 40_000);
    expect(await scan(old)).toMatchObject({ result: 'EXPIRED', reason: expect.stringMatching(/^expired/) });
    const copied = await codeOf(p.pass, ed25519Phone());
    expect(await scan(copied)).toEqual({ result: 'QR_INVALID', reason: 'invalid_credential: device_signature_failed' });
    expect((await passOf(seats[2]!, phone)).binding).toBe('unchanged');
    // A bound ticket gets no 60-second server codes: any logged-in browser could show those.
    const qr = await call(t, 'GET', `/api/tickets/${seats[2]}/qr`, fan.token);
    expect(qr.statusCode).toBe(409);
    expect(qr.json().error_code).toBe('DEVICE_ALREADY_BOUND');
  });

  it('another phone needs the explicit move; the move bumps the generation, so the old phone is refused; both steps are audited', async () => {
    const seat = seats[3]!;
    const oldPhone = ed25519Phone();
    const newPhone = await p256Phone();
    const first = await passOf(seat, oldPhone);
    const refused = await bind(seat, newPhone);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error_code).toBe('DEVICE_ALREADY_BOUND');
    const moved = await passOf(seat, newPhone, { replace: true });
    expect(moved).toMatchObject({ binding: 'rebound', generation: first.generation + 1 });
    expect(await scan(await codeOf(first.pass, oldPhone))).toEqual({ result: 'NOT_FOUND', reason: 'revoked_generation' });
    // The old phone asking again (back online) learns that the ticket moved.
    expect((await bind(seat, oldPhone)).json().error_code).toBe('DEVICE_ALREADY_BOUND');
    expect((await scan(await codeOf(moved.pass, newPhone))).result).toBe('SUCCESS');
    const { rows } = await t.ctx.pool.query(`SELECT action, actor_id, details FROM audit_log WHERE target_id = $1 ORDER BY id`, [seat]);
    expect(rows.map((r) => r.action)).toEqual(['ticket.device_bind', 'ticket.device_rebind']);
    expect(rows.every((r) => r.actor_id === fan.id)).toBe(true);
  });

  it('identity comes from the token: another fan cannot bind, and a body naming a user is refused', async () => {
    const res = await bind(seats[4]!, ed25519Phone(), fan2);
    expect(res.statusCode).toBe(403);
    expect(res.json().error_code).toBe('NOT_SEAT_OWNER');
    const extra = await bind(seats[4]!, ed25519Phone(), fan, { user_id: fan2.id });
    expect(extra.statusCode).toBe(400);
    expect(extra.json()).toMatchObject({ success: false, error_code: 'VALIDATION_ERROR' });
    const phone = ed25519Phone();
    const anonymous = await call(t, 'POST', `/api/tickets/${seats[4]}/device`, undefined, {
      algorithm: phone.algorithm,
      public_key: phone.publicKey,
    });
    expect(anonymous.statusCode).toBe(401);
  });

  it('refuses keys that are not keys of their algorithm, with a field error and no binding', async () => {
    const p256 = await p256Phone();
    const raw = fromBase64Url(p256.publicKey);
    raw[40]! ^= 1; // y no longer on the curve
    for (const bad of [
      { algorithm: 'Ed25519', public_key: p256.publicKey },
      { algorithm: 'P-256', public_key: toBase64Url(raw) },
      { algorithm: 'P-256', public_key: 'not base64url!' },
      { algorithm: 'RSA', public_key: ed25519Phone().publicKey },
    ]) {
      const res = await call(t, 'POST', `/api/tickets/${seats[5]}/device`, fan.token, bad);
      expect(res.statusCode, JSON.stringify(bad)).toBe(400);
      expect(res.json().error_code).toBe('VALIDATION_ERROR');
    }
    const { rows } = await t.ctx.pool.query('SELECT 1 FROM device_bindings WHERE seat_id = $1', [seats[5]]);
    expect(rows).toEqual([]);
  });

  it('limits binds per account and hour (RATE_LIMITED with Retry-After)', async () => {
    let last = await bind(seats[5]!, ed25519Phone());
    for (let i = 0; i < 20 && last.statusCode !== 429; i++) last = await bind(seats[5]!, ed25519Phone(), fan, { replace: true });
    expect(last.statusCode).toBe(429);
    expect(last.json().error_code).toBe('RATE_LIMITED');
    expect(Number(last.headers['retry-after'])).toBeGreaterThan(0);
  });
});

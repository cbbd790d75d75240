import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../src/app.js';
import { ConfigError, loadConfig } from '../src/config.js';
import { createContext, type AppContext } from '../src/context.js';
import { DEMO_PASSWORD } from '../src/db/seed.js';
import { createTokenSigner } from '../src/domain/auth/tokens.js';
import { memoryRateLimiter } from '../src/http/rate-limiter.js';
import { startTwilioStandin, UNREACHABLE_NUMBER, type TwilioStandin } from '../src/providers/twilio-standin.js';
import { DEMO, createTestApp, demoUser, tokenFor, type TestApp } from './helpers/app.js';
import { ARENA, CHAMBER, buySeat, call, createFans, freeSeats, seatRow } from './helpers/commerce.js';

// Each block replays one finding of the security review against the fixed server (docs/security.md names them).

type User = Awaited<ReturnType<typeof demoUser>>;
const REPO_JWT_SECRET = 'dev-only-jwt-secret-change-me-0123456789abcdef';

const login = (t: TestApp, email: string, password: string, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password }, headers });

describe('operators read no codes and move no one else’s ticket (finding: operators steal tickets)', () => {
  let t: TestApp;
  let fan: User, fan2: User, operator: User, admin: User;
  beforeAll(async () => {
    t = await createTestApp({ seed: true });
    [fan, fan2, operator, admin] = (await Promise.all([DEMO.fan, DEMO.fan2, DEMO.operator, DEMO.admin].map((e) => demoUser(t, e)))) as [
      User,
      User,
      User,
      User,
    ];
  });
  afterAll(async () => t?.close());

  it('the outbox is for admins only: an operator gets FORBIDDEN', async () => {
    const res = await call(t, 'GET', '/api/ops/outbox', operator.token);
    expect(res.statusCode).toBe(403);
    expect(res.json().error_code).toBe('FORBIDDEN');
    expect((await call(t, 'GET', '/api/ops/outbox', admin.token)).statusCode).toBe(200);
  });

  it('the replayed theft fails: an operator cannot take a fan’s ticket for 0 credits', async () => {
    const [seatId] = await freeSeats(t, ARENA, 1, { category: 'CAT3' });
    await buySeat(t, fan.token, seatId!);
    // As a third party, initiating is refused outright.
    const third = await call(t, 'POST', '/api/transfer/initiate', operator.token, {
      seat_id: seatId,
      seller_user_id: fan.id,
      buyer_user_id: fan2.id,
      credits_amount: 0,
    });
    expect(third.json().error_code).toBe('FORBIDDEN');
    // As the buyer (either party may start a transfer), the seller's code goes to the seller's phone only…
    const started = await call(t, 'POST', '/api/transfer/initiate', operator.token, {
      seat_id: seatId,
      seller_user_id: fan.id,
      buyer_user_id: operator.id,
      credits_amount: 0,
    });
    expect(started.statusCode).toBe(201);
    const transferId = started.json().data.transfer_id as string;
    expect((await call(t, 'GET', '/api/ops/outbox', operator.token)).statusCode).toBe(403);
    // …so confirming needs a guess, and guesses end the transfer.
    const guesses = [];
    for (let i = 0; i < 3; i++) {
      guesses.push(
        (
          await call(t, 'POST', '/api/transfer/confirm', operator.token, {
            transfer_id: transferId,
            seller_otp: `00000${i}`,
            buyer_otp: '999999',
          })
        ).json().error_code,
      );
    }
    expect(guesses).toEqual(['OTP_INVALID', 'OTP_INVALID', 'OTP_MAX_RETRIES']);
    expect(await seatRow(t, seatId!)).toMatchObject({ status: 'SOLD', owner_user_id: fan.id });
  });

  it('nobody acts as another user in purchase flows, admins included', async () => {
    const [seatId] = await freeSeats(t, ARENA, 1, { category: 'CAT3', skip: 5 });
    for (const caller of [operator, admin]) {
      const r = await call(t, 'POST', '/api/reserve', caller.token, { seat_id: seatId, user_id: fan.id });
      expect(r.json().error_code).toBe('FORBIDDEN');
      const v = await call(t, 'POST', '/api/verify-otp', caller.token, {
        user_id: fan.id,
        otp_code: '123456',
        context: 'purchase',
        reference_id: randomUUID(),
      });
      expect(v.json().error_code).toBe('FORBIDDEN');
    }
    expect((await seatRow(t, seatId!)).status).toBe('AVAILABLE');
  });

  it('the role comes from the database: a fan’s token claiming admin is still a fan', async () => {
    const forged = await tokenFor(t, fan.id, 'admin');
    expect((await call(t, 'GET', '/api/ops/outbox', forged)).json().error_code).toBe('FORBIDDEN');
  });

  it('a token signed with the repository’s development secret is refused by a configured server', async () => {
    const repoSigner = createTokenSigner(REPO_JWT_SECRET);
    const { token } = await repoSigner.sign({ userId: admin.id, role: 'admin', typ: 'access', ttlSeconds: 900, session: randomUUID() });
    expect((await call(t, 'GET', '/api/ops/outbox', token)).statusCode).toBe(401);
  });
});

describe('codes go by SMS through the real Twilio SDK (local stand-in), stored nowhere in clear', () => {
  let standin: TwilioStandin;
  let t: TestApp;
  beforeAll(async () => {
    standin = await startTwilioStandin();
    t = await createTestApp({
      seed: true,
      env: {
        SMS_PROVIDER: 'twilio',
        TWILIO_ACCOUNT_SID: standin.accountSid,
        TWILIO_AUTH_TOKEN: standin.authToken,
        TWILIO_FROM: '+15005550006',
        TWILIO_API_URL: standin.url,
      },
    });
  });
  afterAll(async () => {
    await t?.close();
    await standin?.close();
  });

  it('a flagged purchase texts the code to the user’s phone; nothing lands in the outbox; the code verifies', async () => {
    expect(t.ctx.sms.name).toBe('twilio');
    const flagged = await demoUser(t, DEMO.flagged);
    const [seatId] = await freeSeats(t, ARENA, 1, { category: 'CAT3' });
    const orderId = (await call(t, 'POST', '/api/reserve', flagged.token, { seat_id: seatId })).json().data.order_id;
    expect((await call(t, 'POST', '/api/pay', flagged.token, { order_id: orderId })).json().error_code).toBe('OTP_REQUIRED');

    const sms = standin.messages().at(-1)!;
    expect(sms).toMatchObject({ to: '+6591000003', from: '+15005550006' });
    const code = /\b(\d{6})\b/.exec(sms.body)![1]!;
    const { rows: outbox } = await t.ctx.pool.query('SELECT 1 FROM sms_outbox');
    expect(outbox).toHaveLength(0);
    const { rows: stored } = await t.ctx.pool.query<{ code_hash: string }>('SELECT code_hash FROM otp_challenges WHERE reference_id = $1', [
      orderId,
    ]);
    expect(stored[0]!.code_hash).not.toContain(code);

    const ok = await call(t, 'POST', '/api/verify-otp', flagged.token, { otp_code: code, context: 'purchase', reference_id: orderId });
    expect(ok.statusCode).toBe(200);
  });

  it('a refused SMS fails the request with SERVICE_UNAVAILABLE and leaves no pending challenge behind', async () => {
    const [row] = (
      await t.ctx.pool.query<{ id: string }>(`UPDATE users SET phone = $1 WHERE email = $2 RETURNING id`, [
        UNREACHABLE_NUMBER,
        DEMO.flagged,
      ])
    ).rows;
    const flagged = { token: await tokenFor(t, row!.id, 'fan') };
    const [seatId] = await freeSeats(t, ARENA, 1, { category: 'CAT3' });
    const orderId = (await call(t, 'POST', '/api/reserve', flagged.token, { seat_id: seatId })).json().data.order_id;
    const res = await call(t, 'POST', '/api/pay', flagged.token, { order_id: orderId });
    expect(res.json().error_code).toBe('SERVICE_UNAVAILABLE');
    const { rows } = await t.ctx.pool.query<{ status: string }>('SELECT status FROM otp_challenges WHERE reference_id = $1', [orderId]);
    expect(rows).toEqual([{ status: 'SUPERSEDED' }]);
  });
});

describe('safe by default (finding: repository secrets reach non-demo servers)', () => {
  const first = (fn: () => unknown): ConfigError => {
    try {
      fn();
    } catch (err) {
      if (err instanceof ConfigError) return err;
      throw err;
    }
    throw new Error('no ConfigError');
  };

  it('development secrets only on loopback with the embedded database', () => {
    expect(loadConfig({}).usingDevSecrets).toBe(true);
    expect(loadConfig({ HOST: '::1' }).usingDevSecrets).toBe(true);
    for (const env of [
      { HOST: '0.0.0.0' },
      { DATABASE_URL: 'postgres://u:p@db.internal/tg' },
      { HOST: '10.0.0.5', DATABASE_URL: 'postgres://u:p@h/d' },
    ]) {
      const err = first(() => loadConfig(env));
      expect(err.variable).toBe('JWT_SECRET, MASTER_KEY, OTP_PEPPER');
      expect(err.message.split('\n')).toHaveLength(1);
    }
    expect(first(() => loadConfig({ HOST: '0.0.0.0', JWT_SECRET: 'x'.repeat(32), MASTER_KEY: 'y'.repeat(32) })).variable).toBe(
      'OTP_PEPPER',
    );
  });

  const production = {
    NODE_ENV: 'production',
    DATABASE_URL: 'postgres://u:p@db/tg',
    JWT_SECRET: 'j'.repeat(32),
    MASTER_KEY: 'm'.repeat(32),
    OTP_PEPPER: 'p'.repeat(16),
    SERVICE_API_KEY: 's'.repeat(16),
    SMS_PROVIDER: 'twilio',
    TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`,
    TWILIO_AUTH_TOKEN: 't'.repeat(32),
    TWILIO_FROM: '+6591234567',
  };

  it('production: DEMO, the outbox, an open /metrics and cheap password hashing are refused', () => {
    expect(loadConfig(production).SMS_PROVIDER).toBe('twilio');
    expect(first(() => loadConfig({ ...production, DEMO: '1' })).variable).toBe('DEMO');
    expect(first(() => loadConfig({ ...production, SMS_PROVIDER: 'outbox' })).variable).toBe('SMS_PROVIDER');
    expect(first(() => loadConfig({ ...production, SMS_PROVIDER: '', TWILIO_ACCOUNT_SID: '' })).variable).toBe('SMS_PROVIDER');
    expect(first(() => loadConfig({ ...production, SERVICE_API_KEY: '' })).variable).toBe('SERVICE_API_KEY');
    expect(first(() => loadConfig({ ...production, PASSWORD_HASH_OPS: '1' })).variable).toBe('PASSWORD_HASH_OPS');
    expect(first(() => loadConfig({ ...production, PASSWORD_HASH_MEM_MIB: '8' })).variable).toBe('PASSWORD_HASH_MEM_MIB');
    expect(first(() => loadConfig({ ...production, TWILIO_FROM: '' })).variable).toBe('TWILIO_FROM');
  });

  it('TRUST_PROXY: off by default, a hop count or addresses; "true" (believe anyone) is refused', () => {
    expect(loadConfig({}).TRUST_PROXY).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '2' }).TRUST_PROXY).toBe(2);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1,::1' }).TRUST_PROXY).toEqual(['10.0.0.0/8', '127.0.0.1', '::1']);
    expect(first(() => loadConfig({ TRUST_PROXY: 'true' })).variable).toBe('TRUST_PROXY');
    expect(first(() => loadConfig({ TRUST_PROXY: '10.0.0.0/99' })).variable).toBe('TRUST_PROXY');
  });
});

describe('rate limits that fit real traffic (finding: limits too weak and too strict)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ seed: true });
  });
  afterAll(async () => t?.close());

  it('with default settings, 100 different accounts log in from one address within a minute', async () => {
    const fans = await createFans(t, 100, { prefix: 'nat' });
    const emails = (await t.ctx.pool.query<{ email: string }>('SELECT email FROM users WHERE id = ANY($1)', [fans.map((f) => f.id)])).rows;
    const codes = [];
    for (const { email } of emails) codes.push((await login(t, email, DEMO_PASSWORD)).statusCode);
    expect(codes.filter((c) => c === 200)).toHaveLength(100);
  });

  it('11 wrong passwords for one account within a minute: the 11th is refused with 429, rotating X-Forwarded-For or not', async () => {
    const codes = [];
    for (let i = 0; i < 11; i++)
      codes.push((await login(t, DEMO.staff, 'wrong-password', { 'x-forwarded-for': `198.51.100.${i}` })).statusCode);
    expect(codes).toEqual([...Array<number>(10).fill(401), 429]);
    const locked = await login(t, DEMO.staff, DEMO_PASSWORD);
    expect(locked.statusCode).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('with TRUST_PROXY unset, a client rotating X-Forwarded-For is still one address', async () => {
    const small = await createTestApp({ seed: true, env: { RATE_LIMIT_ADDRESS_PER_MINUTE: '5' } });
    try {
      const codes = [];
      for (let i = 0; i < 6; i++)
        codes.push((await login(small, `nobody${i}@example.com`, 'x-password', { 'x-forwarded-for': `203.0.113.${i}` })).statusCode);
      expect(codes).toEqual([401, 401, 401, 401, 401, 429]);
    } finally {
      await small.close();
    }
  });

  it('with TRUST_PROXY naming the proxy, the forwarded address is the client (positive control)', async () => {
    const proxied = await createTestApp({ seed: true, env: { RATE_LIMIT_ADDRESS_PER_MINUTE: '5', TRUST_PROXY: '127.0.0.1' } });
    try {
      const codes = [];
      for (let i = 0; i < 6; i++)
        codes.push((await login(proxied, `nobody${i}@example.com`, 'x-password', { 'x-forwarded-for': `203.0.113.${i}` })).statusCode);
      expect(codes).toEqual(Array<number>(6).fill(401));
    } finally {
      await proxied.close();
    }
  });

  it('refresh is limited per session, reserve per account', async () => {
    const limited = await createTestApp({ seed: true, env: { RATE_LIMIT_REFRESH_PER_MINUTE: '2', RATE_LIMIT_RESERVE_PER_MINUTE: '2' } });
    try {
      let refresh = (await login(limited, DEMO.fan, DEMO_PASSWORD)).json().data.refresh_token as string;
      const codes = [];
      for (let i = 0; i < 3; i++) {
        const r = await limited.app.inject({ method: 'POST', url: '/api/auth/refresh', headers: { authorization: `Bearer ${refresh}` } });
        codes.push(r.statusCode);
        if (r.statusCode === 200) refresh = r.json().data.refresh_token;
      }
      expect(codes).toEqual([200, 200, 429]);

      const fan = await demoUser(limited, DEMO.fan2);
      const seats = await freeSeats(limited, ARENA, 3, { category: 'CAT3' });
      const answers = [];
      for (const s of seats) answers.push((await call(limited, 'POST', '/api/reserve', fan.token, { seat_id: s })).statusCode);
      expect(answers).toEqual([200, 200, 429]);
    } finally {
      await limited.close();
    }
  });

  it('the per-account backoff has a second tier: past the hourly budget the wait is the rest of the hour', async () => {
    let offset = 0;
    const limiter = memoryRateLimiter(() => Date.now() + offset);
    const tiered = await createTestApp({
      seed: true,
      env: { RATE_LIMIT_AUTH_PER_MINUTE: '2', RATE_LIMIT_AUTH_PER_HOUR: '3' },
      context: { limiter },
    });
    try {
      const wrong = () => login(tiered, DEMO.fan, 'wrong-password');
      expect([(await wrong()).statusCode, (await wrong()).statusCode, (await wrong()).statusCode]).toEqual([401, 401, 429]);
      offset += 61_000;
      expect((await wrong()).statusCode).toBe(401);
      const res = await wrong();
      expect(res.statusCode).toBe(429);
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(60 * 55);
    } finally {
      await tiered.close();
    }
  });

  it('RATE_LIMIT_STORE=postgres: failures counted on one instance are refused on another', async () => {
    const a = await createTestApp({ seed: true, env: { RATE_LIMIT_STORE: 'postgres', RATE_LIMIT_AUTH_PER_MINUTE: '3' } });
    const b = await peer(a);
    try {
      expect(a.ctx.limiter.store).toBe('postgres');
      const codes = [];
      for (const app of [a.app, b.app, a.app])
        codes.push(
          (await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: DEMO.fan, password: 'nope-nope' } })).statusCode,
        );
      expect(codes).toEqual([401, 401, 401]);
      const fourth = await b.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: DEMO.fan, password: DEMO_PASSWORD } });
      expect(fourth.statusCode).toBe(429);
    } finally {
      await b.close();
      await a.close();
    }
  });
});

describe('holds per account (finding: one account takes an event off sale)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ seed: true });
  });
  afterAll(async () => t?.close());

  it('an account with 0 credits holds at most MAX_HOLDS_PER_USER (8) seats of an event; the next answers 409 HOLD_LIMIT_REACHED', async () => {
    expect(t.config.MAX_HOLDS_PER_USER).toBe(8);
    const [fan] = await createFans(t, 1, { prefix: 'hoarder' });
    const seats = await freeSeats(t, ARENA, 9, { category: 'CAT2' });
    const codes = [];
    for (const s of seats) codes.push((await call(t, 'POST', '/api/reserve', fan!.token, { seat_id: s })).statusCode);
    expect(codes).toEqual([...Array<number>(8).fill(200), 409]);
    const refused = await call(t, 'POST', '/api/reserve', fan!.token, { seat_id: seats[8] });
    expect(refused.json()).toMatchObject({ success: false, error_code: 'HOLD_LIMIT_REACHED', message: expect.stringContaining('8') });
    // Re-reserving a seat already held returns it; another event has its own allowance.
    expect((await call(t, 'POST', '/api/reserve', fan!.token, { seat_id: seats[0] })).statusCode).toBe(200);
    const [other] = await freeSeats(t, CHAMBER, 1);
    expect((await call(t, 'POST', '/api/reserve', fan!.token, { seat_id: other })).statusCode).toBe(200);
  });

  it('is race-safe: 20 reserves of one account at once leave exactly 8 holds', async () => {
    const [fan] = await createFans(t, 1, { prefix: 'burst' });
    const seats = await freeSeats(t, ARENA, 20, { category: 'CAT1' });
    const answers = await Promise.all(seats.map((s) => call(t, 'POST', '/api/reserve', fan!.token, { seat_id: s })));
    expect(answers.filter((a) => a.statusCode === 200)).toHaveLength(8);
    expect(answers.filter((a) => a.statusCode !== 200).every((a) => a.json().error_code === 'HOLD_LIMIT_REACHED')).toBe(true);
    const { rows } = await t.ctx.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM seats WHERE held_by = $1 AND status = 'HELD'`, [
      fan!.id,
    ]);
    expect(rows[0]!.n).toBe(8);
  });

  it('is documented in the OpenAPI error table of /api/reserve', async () => {
    const spec = (await t.app.inject({ method: 'GET', url: '/docs/json' })).json();
    expect(spec.paths['/api/reserve'].post.description).toContain('HOLD_LIMIT_REACHED');
  });
});

/** A second server instance on the same database: its own context, pool and LiveBus. */
async function peer(t: TestApp): Promise<{ app: FastifyInstance; ctx: AppContext; close(): Promise<void> }> {
  const ctx = createContext(t.config, t.databaseUrl);
  const app = await build(ctx, { logger: false });
  await app.ready();
  await ctx.live.start();
  return {
    app,
    ctx,
    async close() {
      await ctx.live.stop();
      await app.close();
      await ctx.pool.end();
    },
  };
}

/** Polls until `check` is true or the overall timeout passes; returns whether it became true. */
async function eventually(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return check();
}

describe('sessions that end (finding: logout and reuse detection leave access tokens alive)', () => {
  let t: TestApp;
  const me = (app: FastifyInstance, token: string) =>
    app.inject({ method: 'GET', url: '/api/auth/me', headers: { authorization: `Bearer ${token}` } });
  beforeAll(async () => {
    t = await createTestApp({ seed: true });
  });
  afterAll(async () => t?.close());

  it('logout kills the older access token of the same session', async () => {
    const first = (await login(t, DEMO.fan, DEMO_PASSWORD)).json().data;
    const second = (
      await t.app.inject({ method: 'POST', url: '/api/auth/refresh', headers: { authorization: `Bearer ${first.refresh_token}` } })
    ).json().data;
    expect((await me(t.app, first.access_token)).statusCode).toBe(200);
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/auth/logout',
          headers: { authorization: `Bearer ${second.access_token}` },
          payload: {},
        })
      ).statusCode,
    ).toBe(200);
    expect((await me(t.app, first.access_token)).statusCode).toBe(401);
    expect((await me(t.app, second.access_token)).statusCode).toBe(401);
  });

  it('a replayed refresh token ends the access tokens of its session', async () => {
    const s = (await login(t, DEMO.fan2, DEMO_PASSWORD)).json().data;
    const refresh = (token: string) =>
      t.app.inject({ method: 'POST', url: '/api/auth/refresh', headers: { authorization: `Bearer ${token}` } });
    const next = (await refresh(s.refresh_token)).json().data;
    expect((await refresh(s.refresh_token)).statusCode).toBe(401); // the replay
    expect(await eventually(async () => (await me(t.app, next.access_token)).statusCode === 401)).toBe(true);
    expect((await me(t.app, s.access_token)).statusCode).toBe(401);
  });

  it('disabling an account ends its sessions and refuses its logins', async () => {
    const s = (await login(t, DEMO.flagged, DEMO_PASSWORD)).json().data;
    expect((await me(t.app, s.access_token)).statusCode).toBe(200);
    await t.ctx.pool.query('UPDATE users SET disabled_at = now() WHERE email = $1', [DEMO.flagged]);
    expect(await eventually(async () => (await me(t.app, s.access_token)).statusCode === 401)).toBe(true);
    expect((await login(t, DEMO.flagged, DEMO_PASSWORD)).json().error_code).toBe('FORBIDDEN');
  });

  it('two instances: logout on A makes the token fail on B within a second (NOTIFY drops B’s cached session)', async () => {
    const b = await peer(t);
    try {
      const s = (await login(t, DEMO.operator, DEMO_PASSWORD)).json().data;
      // B has the session cached (a second request is answered from its cache).
      expect((await me(b.app, s.access_token)).statusCode).toBe(200);
      expect((await me(b.app, s.access_token)).statusCode).toBe(200);
      const loggedOutAt = Date.now();
      expect(
        (
          await t.app.inject({
            method: 'POST',
            url: '/api/auth/logout',
            headers: { authorization: `Bearer ${s.access_token}` },
            payload: {},
          })
        ).statusCode,
      ).toBe(200);
      expect(await eventually(async () => (await me(b.app, s.access_token)).statusCode === 401)).toBe(true);
      console.log(`logout on A refused on B after ${Date.now() - loggedOutAt} ms`);
      // Same for a role change made anywhere (here straight in SQL).
      const o = (await login(t, DEMO.staff, DEMO_PASSWORD)).json().data;
      expect((await me(b.app, o.access_token)).json().data.role).toBe('staff');
      await t.ctx.pool.query(`UPDATE users SET role = 'fan' WHERE email = $1`, [DEMO.staff]);
      expect(await eventually(async () => (await me(b.app, o.access_token)).statusCode === 401)).toBe(true);
    } finally {
      await b.close();
    }
  });
});

describe('transfers that cannot be farmed (finding: guessable codes, seat blocked 24 h)', () => {
  let t: TestApp;
  let fan: User, fan2: User;
  beforeAll(async () => {
    t = await createTestApp({ seed: true, env: { RATE_LIMIT_OTP_PER_MINUTE: '1000', RATE_LIMIT_AUTH_PER_MINUTE: '4' } });
    [fan, fan2] = (await Promise.all([DEMO.fan, DEMO.fan2].map((e) => demoUser(t, e)))) as [User, User];
  });
  afterAll(async () => t?.close());

  const initiate = (by: User, seatId: string) =>
    call(t, 'POST', '/api/transfer/initiate', by.token, {
      seat_id: seatId,
      seller_user_id: fan.id,
      buyer_user_id: fan2.id,
      credits_amount: 0,
    });

  it('a pending transfer blocks the seat for 15 minutes by default, not 24 h', () => {
    expect(t.config.TRANSFER_TTL_SECONDS).toBe(900);
  });

  it('the seller cancels a pending transfer (the buyer who started it cannot); the seat is free to transfer again', async () => {
    const [seatId] = await freeSeats(t, ARENA, 1, { category: 'CAT3' });
    await buySeat(t, fan.token, seatId!);
    const id = (await initiate(fan2, seatId!)).json().data.transfer_id as string;
    expect((await call(t, 'POST', '/api/transfer/cancel', fan2.token, { transfer_id: id })).json().error_code).toBe('FORBIDDEN');
    const res = await call(t, 'POST', '/api/transfer/cancel', fan.token, { transfer_id: id });
    expect(res.json()).toMatchObject({ success: true, data: { transfer_id: id, status: 'CANCELLED', closed_reason: 'SELLER_CANCELLED' } });
    expect((await call(t, 'POST', '/api/transfer/cancel', fan.token, { transfer_id: id })).json().error_code).toBe(
      'TRANSFER_INVALID_STATE',
    );
    expect((await initiate(fan, seatId!)).statusCode).toBe(201);
  });

  it('wrong codes are limited per transfer, across both parties: the third fails it (TOO_MANY_ATTEMPTS)', async () => {
    const [seatId] = await freeSeats(t, ARENA, 1, { category: 'CAT3' });
    await buySeat(t, fan.token, seatId!);
    const id = (await initiate(fan, seatId!)).json().data.transfer_id as string;
    const verify = (u: User) => call(t, 'POST', '/api/verify-otp', u.token, { otp_code: '000000', context: 'transfer', reference_id: id });
    const answers = [(await verify(fan)).json().error_code, (await verify(fan2)).json().error_code, (await verify(fan)).json().error_code];
    expect(answers).toEqual(['OTP_INVALID', 'OTP_INVALID', 'OTP_MAX_RETRIES']);
    const { rows } = await t.ctx.pool.query('SELECT status, closed_reason FROM transfers WHERE id = $1', [id]);
    expect(rows[0]).toEqual({ status: 'FAILED', closed_reason: 'TOO_MANY_ATTEMPTS' });
  });

  it('wrong confirmations are limited per account across transfers (429 with Retry-After)', async () => {
    const answers = [];
    for (let i = 0; i < 3; i++) {
      const [seatId] = await freeSeats(t, ARENA, 1, { category: 'CAT3' });
      await buySeat(t, fan.token, seatId!);
      const id = (await initiate(fan2, seatId!)).json().data.transfer_id as string;
      for (let j = 0; j < 2; j++)
        answers.push(
          await call(t, 'POST', '/api/transfer/confirm', fan2.token, { transfer_id: id, seller_otp: '000000', buyer_otp: '000000' }),
        );
    }
    // Two wrong guesses per transfer (its third would fail it), four per account a minute: the fifth attempt is refused.
    expect(answers.map((a) => a.statusCode)).toEqual([401, 401, 401, 401, 429, 429]);
    expect(Number(answers[4]!.headers['retry-after'])).toBeGreaterThan(0);
  });
});

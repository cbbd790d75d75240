import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '@ticketgate/crypto';
import { DEMO_PASSWORD } from '../src/db/seed.js';
import { pruneExpiredTokens } from '../src/domain/auth/prune-tokens.js';
import { DEMO, createTestApp, demoUser, type TestApp } from './helpers/app.js';

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
let ipCounter = 0;
/** Each call comes from its own client address, so the per-address limit stays out of tests about other things. */
const fromNewAddress = () => ({ 'x-forwarded-for': `10.1.${Math.floor(++ipCounter / 250)}.${ipCounter % 250}` });

describe('auth', () => {
  let t: TestApp;
  const post = (url: string, payload?: object, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url, headers: { ...fromNewAddress(), ...headers }, ...(payload ? { payload } : {}) });
  const login = (email: string, password = DEMO_PASSWORD) => post('/api/auth/login', { email, password });
  const me = (token: string) => t.app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer(token) });

  beforeAll(async () => {
    t = await createTestApp({ seed: true, env: { RATE_LIMIT_AUTH_PER_MINUTE: '1000' } });
  });
  afterAll(async () => t?.close());

  describe('POST /api/auth/register', () => {
    const valid = { email: 'new.user@example.com', phone: '+6591234567', password: 'securePassword123' };

    it('creates a fan with 0 credits, named after the email by default', async () => {
      const res = await post('/api/auth/register', valid);
      expect(res.statusCode).toBe(201);
      const body = res.json();
      expect(body).toEqual({
        success: true,
        data: { user_id: expect.any(String), email: 'new.user@example.com', message: 'Account created successfully' },
      });
      const { rows } = await t.ctx.pool.query('SELECT role, display_name, balance_cents, phone, password_hash FROM users WHERE id = $1', [
        body.data.user_id,
      ]);
      expect(rows[0]).toMatchObject({ role: 'fan', display_name: 'new.user', balance_cents: 0, phone: '+6591234567' });
      expect(rows[0].password_hash).toMatch(/^\$argon2id\$/);
      expect(await verifyPassword(rows[0].password_hash, valid.password)).toBe(true);

      const logged = await login(valid.email, valid.password);
      expect(logged.statusCode).toBe(200);
      expect(logged.json().data.user).toMatchObject({ email: valid.email, role: 'fan', credit_balance: 0, name: 'new.user' });
    });

    it('takes the display name from the body', async () => {
      const res = await post('/api/auth/register', { ...valid, email: 'named@example.com', name: '  Jane Doe ' });
      expect(res.statusCode).toBe(201);
      const { rows } = await t.ctx.pool.query('SELECT display_name FROM users WHERE id = $1', [res.json().data.user_id]);
      expect(rows[0].display_name).toBe('Jane Doe');
    });

    it('refuses a registered email, whatever its case, with EMAIL_ALREADY_EXISTS', async () => {
      const res = await post('/api/auth/register', { ...valid, email: DEMO.fan.toUpperCase() });
      expect(res.statusCode).toBe(409);
      expect(res.json()).toMatchObject({ success: false, error_code: 'EMAIL_ALREADY_EXISTS' });
    });

    it('lets exactly one of two racing registrations of an email through', async () => {
      const body = { ...valid, email: 'race@example.com' };
      const results = await Promise.all([post('/api/auth/register', body), post('/api/auth/register', body)]);
      expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    });

    it.each([
      ['missing email', { phone: valid.phone, password: valid.password }, 'body.email'],
      ['missing phone', { email: 'a@example.com', password: valid.password }, 'body.phone'],
      ['missing password', { email: 'a@example.com', phone: valid.phone }, 'body.password'],
      ['invalid email', { ...valid, email: 'not-an-email' }, 'body.email'],
      ['phone without +', { ...valid, phone: '6591234567' }, 'body.phone'],
      ['phone with letters', { ...valid, phone: '+65abc4567' }, 'body.phone'],
      ['phone too short', { ...valid, phone: '+123' }, 'body.phone'],
      ['password of 7 characters', { ...valid, password: 'short12' }, 'body.password'],
    ])('answers %s with VALIDATION_ERROR naming the field', async (_case, payload, field) => {
      const res = await post('/api/auth/register', payload);
      expect(res.statusCode).toBe(400);
      const body = res.json();
      expect(body).toMatchObject({ success: false, error_code: 'VALIDATION_ERROR' });
      expect(body.details.map((d: { field: string }) => d.field)).toContain(field);
    });

    it('accepts a password of exactly 8 characters', async () => {
      const res = await post('/api/auth/register', { ...valid, email: 'eight@example.com', password: '12345678' });
      expect(res.statusCode).toBe(201);
    });
  });

  describe('POST /api/auth/login', () => {
    it('answers the API shape: tokens, expires_in from the config, the user with credits in major units', async () => {
      const res = await login(DEMO.fan);
      expect(res.statusCode).toBe(200);
      const { data } = res.json();
      expect(data).toMatchObject({
        token_type: 'Bearer',
        expires_in: t.config.ACCESS_TOKEN_TTL_SECONDS,
        user: { email: DEMO.fan, credit_balance: 1000, role: 'fan', name: 'Demo Fan' },
      });
      expect(t.config.ACCESS_TOKEN_TTL_SECONDS).toBe(900);
      const access = await t.ctx.signer.verify(data.access_token, 'access');
      expect(access.exp - Math.floor(Date.now() / 1000)).toBeGreaterThan(900 - 30);
      expect(access.exp - Math.floor(Date.now() / 1000)).toBeLessThanOrEqual(900);
      expect(access).toMatchObject({ sub: data.user.user_id, role: 'fan' });
      await expect(t.ctx.signer.verify(data.refresh_token, 'refresh')).resolves.toMatchObject({ sub: data.user.user_id });
      expect((await me(data.access_token)).statusCode).toBe(200);
    });

    it('matches the email case-insensitively and carries the role into the token', async () => {
      const res = await login(DEMO.operator.toUpperCase());
      expect(res.statusCode).toBe(200);
      expect((await t.ctx.signer.verify(res.json().data.access_token, 'access')).role).toBe('operator');
    });

    it('answers a wrong password and an unknown email alike: UNAUTHORIZED, same message', async () => {
      const wrong = await login(DEMO.fan, 'wrong-password');
      const unknown = await login('nobody@example.com', 'wrong-password');
      for (const res of [wrong, unknown]) {
        expect(res.statusCode).toBe(401);
        expect(res.json()).toMatchObject({ success: false, error_code: 'UNAUTHORIZED' });
      }
      expect(unknown.json().message).toBe(wrong.json().message);
    });

    it('spends exactly one argon2id verification on unknown emails too (no timing shortcut)', async () => {
      // Counted on the app's own hasher rather than timed: an unknown email must cost what a wrong password costs.
      const hasher = t.ctx.passwords.hasher();
      const original = hasher.verify;
      const verify = original.bind(hasher);
      const verified: string[] = [];
      hasher.verify = async (encoded, password) => {
        verified.push(encoded);
        return verify(encoded, password);
      };
      try {
        const wrong = await login(DEMO.fan, 'wrong-password');
        const afterWrong = verified.length;
        const unknown = await login('ghost@example.com', 'wrong-password');
        expect(afterWrong).toBe(1);
        expect(verified).toHaveLength(2);
        expect(verified[1]).toMatch(/^\$argon2id\$/);
        expect(verified[1]).toContain(`m=${t.config.PASSWORD_HASH_MEM_MIB * 1024},t=${t.config.PASSWORD_HASH_OPS}`);
        expect([wrong.statusCode, unknown.statusCode]).toEqual([401, 401]);
        expect(unknown.json().message).toBe(wrong.json().message);
      } finally {
        hasher.verify = original;
      }
    });

    it.each([
      ['missing password', { email: DEMO.fan }, 'body.password'],
      ['missing email', { password: 'x' }, 'body.email'],
      ['empty password', { email: DEMO.fan, password: '' }, 'body.password'],
    ])('answers %s with VALIDATION_ERROR', async (_case, payload, field) => {
      const res = await post('/api/auth/login', payload);
      expect(res.statusCode).toBe(400);
      expect(res.json().error_code).toBe('VALIDATION_ERROR');
      expect(res.json().details.map((d: { field: string }) => d.field)).toContain(field);
    });
  });

  describe('POST /api/auth/refresh', () => {
    const refresh = (token: string) => post('/api/auth/refresh', undefined, bearer(token));

    it('rotates: a new access token and a new refresh token; the used one cannot be used again', async () => {
      const first = (await login(DEMO.fan2)).json().data;
      const res = await refresh(first.refresh_token);
      expect(res.statusCode).toBe(200);
      const second = res.json().data;
      expect(second).toMatchObject({ token_type: 'Bearer', expires_in: 900 });
      expect(second.access_token).not.toBe(first.access_token);
      expect(second.refresh_token).not.toBe(first.refresh_token);
      expect((await me(second.access_token)).json().data.email).toBe(DEMO.fan2);

      const third = (await refresh(second.refresh_token)).json().data;
      expect(third.refresh_token).toBeDefined();

      const replay = await refresh(first.refresh_token);
      expect(replay.statusCode).toBe(401);
      expect(replay.json()).toMatchObject({ error_code: 'UNAUTHORIZED', message: expect.stringMatching(/already used/) });
    });

    it('revokes the whole family when a used refresh token is replayed', async () => {
      const stolen = (await login(DEMO.fan)).json().data.refresh_token;
      const owners = (await refresh(stolen)).json().data.refresh_token;
      expect((await refresh(stolen)).statusCode).toBe(401);
      // The legitimate holder's newer token died with the family: both must log in again.
      const after = await refresh(owners);
      expect(after.statusCode).toBe(401);
      expect(after.json().message).toMatch(/revoked/);
      const family = await t.ctx.pool.query(
        `SELECT count(*)::int AS n, count(revoked_at)::int AS revoked FROM refresh_tokens
          WHERE family_id = (SELECT family_id FROM refresh_tokens ORDER BY created_at DESC LIMIT 1)`,
      );
      expect(family.rows[0].n).toBe(family.rows[0].revoked);
    });

    it('lets only one of two concurrent refreshes with the same token succeed', async () => {
      const token = (await login(DEMO.fan)).json().data.refresh_token;
      const results = await Promise.all([refresh(token), refresh(token)]);
      expect(results.map((r) => r.statusCode).sort()).toEqual([200, 401]);
    });

    it('answers an expired refresh token with TOKEN_EXPIRED (test clock)', async () => {
      const token = (await login(DEMO.fan)).json().data.refresh_token;
      try {
        t.clock.advance((t.config.REFRESH_TOKEN_TTL_SECONDS + 5) * 1000);
        const res = await refresh(token);
        expect(res.statusCode).toBe(401);
        expect(res.json()).toMatchObject({ success: false, error_code: 'TOKEN_EXPIRED' });
      } finally {
        t.clock.real();
      }
      expect((await refresh(token)).statusCode).toBe(200);
    });

    it('answers a missing, malformed or forged token, or an access token, with UNAUTHORIZED', async () => {
      const { access_token } = (await login(DEMO.fan)).json().data;
      const forged = await t.ctx.signer.sign({
        userId: '00000000-0000-4000-8000-000000000000',
        role: 'fan',
        typ: 'refresh',
        ttlSeconds: 60,
      });
      for (const headers of [{}, { authorization: 'Basic abc' }, bearer('garbage'), bearer(access_token), bearer(forged.token)]) {
        const res = await post('/api/auth/refresh', undefined, headers);
        expect(res.statusCode).toBe(401);
        expect(res.json().error_code).toBe('UNAUTHORIZED');
      }
    });

    it('a role change ends the sessions of the user; the next login carries the role from the database', async () => {
      const reg = await post('/api/auth/register', { email: 'promoted@example.com', phone: '+6590000001', password: 'password-123' });
      const before = (await login('promoted@example.com', 'password-123')).json().data;
      await t.ctx.pool.query(`UPDATE users SET role = 'staff' WHERE id = $1`, [reg.json().data.user_id]);
      expect((await refresh(before.refresh_token)).statusCode).toBe(401);
      expect((await me(before.access_token)).statusCode).toBe(401);
      const after = (await login('promoted@example.com', 'password-123')).json().data;
      expect((await t.ctx.signer.verify(after.access_token, 'access')).role).toBe('staff');
      expect((await me(after.access_token)).json().data.role).toBe('staff');
    });
  });

  describe('POST /api/auth/logout and GET /api/auth/me', () => {
    it('me returns the profile', async () => {
      const fan = await demoUser(t, DEMO.flagged);
      const res = await me(fan.token);
      expect(res.statusCode).toBe(200);
      expect(res.json().data).toMatchObject({
        user_id: fan.id,
        email: DEMO.flagged,
        name: 'Flagged Fan',
        role: 'fan',
        phone: '+6591000003',
        is_flagged: true,
        credit_balance: 500,
        frozen_credits: 0,
      });
    });

    it('me without a token, with a bad one or with an expired one is refused', async () => {
      expect((await t.app.inject({ method: 'GET', url: '/api/auth/me' })).json().error_code).toBe('UNAUTHORIZED');
      expect((await me('not.a.jwt')).json().error_code).toBe('UNAUTHORIZED');
      const fan = await demoUser(t, DEMO.fan);
      const old = await t.ctx.signer.sign({ userId: fan.id, role: 'fan', typ: 'access', ttlSeconds: 900, now: Date.now() - 901_000 });
      const res = await me(old.token);
      expect(res.statusCode).toBe(401);
      expect(res.json().error_code).toBe('TOKEN_EXPIRED');
    });

    it('ends the session: its access token and refresh token stop working', async () => {
      const { access_token, refresh_token } = (await login(DEMO.fan)).json().data;
      expect((await me(access_token)).statusCode).toBe(200);

      const res = await post('/api/auth/logout', undefined, bearer(access_token));
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ success: true, data: { message: 'Successfully logged out' } });

      const refused = await me(access_token);
      expect(refused.statusCode).toBe(401);
      expect(refused.json().error_code).toBe('UNAUTHORIZED');

      const claims = await t.ctx.signer.verify(access_token, 'access');
      const { rows } = await t.ctx.pool.query('SELECT ended_at, end_reason FROM sessions WHERE id = $1', [claims.sid]);
      expect(rows[0]).toMatchObject({ end_reason: 'LOGOUT', ended_at: expect.any(Date) });

      const again = await post('/api/auth/refresh', undefined, bearer(refresh_token));
      expect(again.statusCode).toBe(401);
      expect(again.json().error_code).toBe('UNAUTHORIZED');
      // A second logout with the same token is refused like any use of it.
      expect((await post('/api/auth/logout', undefined, bearer(access_token))).statusCode).toBe(401);
    });

    it('also revokes the session of a refresh token named in the body', async () => {
      const phone = (await login(DEMO.fan2)).json().data;
      const laptop = (await login(DEMO.fan2)).json().data;
      const res = await post('/api/auth/logout', { refresh_token: phone.refresh_token }, bearer(laptop.access_token));
      expect(res.statusCode).toBe(200);
      expect((await post('/api/auth/refresh', undefined, bearer(phone.refresh_token))).statusCode).toBe(401);
      expect((await post('/api/auth/refresh', undefined, bearer(laptop.refresh_token))).statusCode).toBe(401);
      // The phone's session ended too, access token included.
      expect((await me(phone.access_token)).statusCode).toBe(401);
    });

    it("refuses to revoke another user's session (FORBIDDEN) and changes nothing", async () => {
      const mine = (await login(DEMO.fan)).json().data;
      const theirs = (await login(DEMO.fan2)).json().data;
      const res = await post('/api/auth/logout', { refresh_token: theirs.refresh_token }, bearer(mine.access_token));
      expect(res.statusCode).toBe(403);
      expect(res.json().error_code).toBe('FORBIDDEN');
      expect((await me(mine.access_token)).statusCode).toBe(200);
      expect((await post('/api/auth/refresh', undefined, bearer(theirs.refresh_token))).statusCode).toBe(200);
    });

    it('requires an access token', async () => {
      const res = await post('/api/auth/logout');
      expect(res.statusCode).toBe(401);
      expect(res.json().error_code).toBe('UNAUTHORIZED');
    });
  });

  describe('token pruning job', () => {
    it('is registered and deletes only expired refresh tokens', async () => {
      expect(t.ctx.jobs.map((j) => j.name)).toContain('auth.prune-expired-tokens');
      const fan = await demoUser(t, DEMO.fan);
      const q = (sql: string, p: unknown[]) => t.ctx.pool.query(sql, p);
      const now = Date.now();
      const ids = ['c', 'd'].map((c) => `00000000-0000-4000-8000-00000000000${c}`);
      await q(`INSERT INTO sessions (id, user_id) VALUES ($1, $3), ($2, $3)`, [ids[0], ids[1], fan.id]);
      await q(`INSERT INTO refresh_tokens (jti, user_id, family_id, expires_at) VALUES ($1, $3, $1, $4), ($2, $3, $2, $5)`, [
        ids[0],
        ids[1],
        fan.id,
        new Date(now - 1000),
        new Date(now + 3_600_000),
      ]);
      const pruned = await pruneExpiredTokens(t.ctx);
      expect(pruned.refreshTokens).toBeGreaterThanOrEqual(1);
      const left = await q(`SELECT jti FROM refresh_tokens WHERE jti = ANY($1)`, [ids]);
      expect(left.rows.map((r) => r.jti)).toEqual([ids[1]]);

      // With the clock past their expiry, the rest goes too.
      t.clock.advance(2 * 3_600_000);
      try {
        await pruneExpiredTokens(t.ctx);
      } finally {
        t.clock.real();
      }
      const none = await q(`SELECT jti FROM refresh_tokens WHERE jti = ANY($1)`, [ids]);
      expect(none.rowCount).toBe(0);
    });
  });

  it('documents the auth endpoints and their error codes in OpenAPI', async () => {
    const spec = (await t.app.inject({ method: 'GET', url: '/docs/json' })).json();
    for (const path of ['/api/auth/register', '/api/auth/login', '/api/auth/refresh', '/api/auth/logout']) {
      expect(spec.paths[path]?.post, path).toBeDefined();
    }
    const loginDoc = spec.paths['/api/auth/login'].post;
    expect(Object.keys(loginDoc.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '429']));
    expect(loginDoc.description).toContain('UNAUTHORIZED');
    expect(spec.paths['/api/auth/register'].post.description).toContain('EMAIL_ALREADY_EXISTS');
    expect(spec.paths['/api/auth/me'].get).toBeDefined();
  });
});

describe('auth rate limits', () => {
  let t: TestApp;
  const LIMIT = 3;
  beforeAll(async () => {
    t = await createTestApp({
      seed: true,
      env: { RATE_LIMIT_AUTH_PER_MINUTE: String(LIMIT), RATE_LIMIT_ADDRESS_PER_MINUTE: String(LIMIT) },
    });
  });
  afterAll(async () => t?.close());

  const attempt = (url: string, payload: object, ip: string) => t.app.inject({ method: 'POST', url, payload, remoteAddress: ip });

  it('limits failed logins per account across addresses: 429 RATE_LIMITED after N, even with the right password', async () => {
    const codes: number[] = [];
    for (let i = 0; i < LIMIT; i++)
      codes.push((await attempt('/api/auth/login', { email: DEMO.fan, password: 'wrong-pass' }, `10.2.0.${i}`)).statusCode);
    expect(codes).toEqual([401, 401, 401]);
    const res = await attempt('/api/auth/login', { email: DEMO.fan.toUpperCase(), password: DEMO_PASSWORD }, '10.2.0.99');
    expect(res.statusCode).toBe(429);
    expect(res.json()).toMatchObject({ success: false, error_code: 'RATE_LIMITED' });
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    // Another account is not affected.
    expect((await attempt('/api/auth/login', { email: DEMO.fan2, password: DEMO_PASSWORD }, '10.2.0.98')).statusCode).toBe(200);
  });

  it('limits requests per address across accounts (RATE_LIMIT_ADDRESS_PER_MINUTE)', async () => {
    const ip = '10.3.0.1';
    for (let i = 0; i < LIMIT; i++) {
      expect((await attempt('/api/auth/login', { email: `user${i}@example.com`, password: 'whatever-1' }, ip)).statusCode).toBe(401);
    }
    const res = await attempt('/api/auth/login', { email: DEMO.staff, password: DEMO_PASSWORD }, ip);
    expect(res.statusCode).toBe(429);
    expect(res.json().error_code).toBe('RATE_LIMITED');
    expect((await attempt('/api/auth/login', { email: DEMO.staff, password: DEMO_PASSWORD }, '10.3.0.2')).statusCode).toBe(200);
  });

  it('limits registrations per address', async () => {
    const ip = '10.4.0.1';
    const body = (i: number) => ({ email: `reg${i}@example.com`, phone: '+6591234567', password: 'password-123' });
    for (let i = 0; i < LIMIT; i++) expect((await attempt('/api/auth/register', body(i), ip)).statusCode).toBe(201);
    expect((await attempt('/api/auth/register', body(LIMIT), ip)).json().error_code).toBe('RATE_LIMITED');
  });
});

// The endpoints the fan web app added: exact-email lookup, live seat statuses
// with an ETag, credit history, how the browser confirms a top-up, and the web
// app served at / next to the API.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paymentClientConfig } from '../src/providers/payment-client.js';
import { USER_LOOKUPS_PER_MINUTE } from '../src/routes/schemas/user-lookup.js';
import { DEMO, createTestApp, demoUser, type TestApp } from './helpers/app.js';
import { ARENA, buySeat, call, eventIdOf, freeSeats } from './helpers/commerce.js';

type User = { id: string; token: string };

describe('fan app API', () => {
  let t: TestApp;
  let fan: User;
  let fan2: User;
  let web: string;

  beforeAll(async () => {
    web = mkdtempSync(join(tmpdir(), 'tg-web-'));
    writeFileSync(join(web, 'index.html'), '<!doctype html><title>TicketGate</title>');
    writeFileSync(join(web, 'index.html.gz'), gzipSync('<!doctype html><title>TicketGate</title>'));
    writeFileSync(join(web, 'app-ABCDEFGH.js'), 'console.log(1)');
    writeFileSync(join(web, 'sw.js'), '// sw');
    mkdirSync(join(web, 'sub'));
    t = await createTestApp({ seed: true, env: { WEB_APP_DIR: web } });
    [fan, fan2] = await Promise.all([demoUser(t, DEMO.fan), demoUser(t, DEMO.fan2)]);
  });
  afterAll(async () => {
    await t?.close();
    rmSync(web, { recursive: true, force: true });
  });

  describe('POST /api/users/lookup', () => {
    it('finds the account with exactly this email, in any letter case', async () => {
      const res = await call(t, 'POST', '/api/users/lookup', fan.token, { email: DEMO.fan2.toUpperCase() }, '10.1.0.1');
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ success: true, data: { user_id: fan2.id, name: 'Second Fan' } });
    });

    it('answers a near miss exactly as an unknown address (no prefix or fuzzy match)', async () => {
      const answers = [];
      for (const email of [
        DEMO.fan2.replace('fan2', 'fan22'),
        DEMO.fan2.replace('.test', '.tes'),
        'nobody@example.test',
        'fan@demo.ticketgate.tst',
      ]) {
        const res = await call(t, 'POST', '/api/users/lookup', fan.token, { email }, '10.1.0.2');
        answers.push([res.statusCode, res.json()]);
      }
      expect(answers.map((a) => JSON.stringify(a))).toEqual(Array(answers.length).fill(JSON.stringify(answers[0])));
      expect(answers[0]).toEqual([404, { success: false, error_code: 'USER_NOT_FOUND', message: 'No account has this email address.' }]);
    });

    it('needs a token and a valid email', async () => {
      expect((await call(t, 'POST', '/api/users/lookup', undefined, { email: DEMO.fan2 }, '10.1.0.3')).json().error_code).toBe(
        'UNAUTHORIZED',
      );
      const bad = await call(t, 'POST', '/api/users/lookup', fan.token, { email: 'fan2' }, '10.1.0.3');
      expect(bad.statusCode).toBe(400);
      expect(bad.json().details[0].field).toBe('body.email');
    });

    it('stops a user walking an address list: RATE_LIMITED after the per-user allowance, from any address', async () => {
      const walker = await demoUser(t, DEMO.flagged);
      const statuses = [];
      for (let i = 0; i <= USER_LOOKUPS_PER_MINUTE; i++) {
        // A new client address every time: the per-user limit must still hold.
        const res = await call(t, 'POST', '/api/users/lookup', walker.token, { email: `guess${i}@example.test` }, `10.2.${i}.1`);
        statuses.push(res.statusCode);
      }
      expect(statuses.slice(0, USER_LOOKUPS_PER_MINUTE).every((s) => s === 404)).toBe(true);
      const last = await call(t, 'POST', '/api/users/lookup', walker.token, { email: DEMO.fan }, '10.3.0.1');
      expect(last.statusCode).toBe(429);
      expect(last.json().error_code).toBe('RATE_LIMITED');
      expect(Number(last.headers['retry-after'])).toBeGreaterThan(0);
    });
  });

  describe('GET /api/events/{id}/seats?since= (the open seat map follows changes)', () => {
    const delta = async (eventId: string, since: number) =>
      (await call(t, 'GET', `/api/events/${eventId}/seats?since=${since}`)).json().data as {
        cursor: number;
        full: boolean;
        seats: { seat_id: string; status: string }[];
      };

    it('starts from the cursor of the full map: nothing while unchanged, the seat after a sale', async () => {
      const eventId = await eventIdOf(t, ARENA);
      const map = (await call(t, 'GET', `/api/events/${eventId}`)).json().data as { cursor: number; seats: unknown[] };
      expect(map.seats).toHaveLength(5000);
      const quiet = await delta(eventId, map.cursor);
      expect(quiet).toMatchObject({ full: false, seats: [] });

      const [seat] = (await freeSeats(t, ARENA, 1, { category: 'CAT2' })) as [string];
      await buySeat(t, fan.token, seat);
      const after = await delta(eventId, quiet.cursor);
      expect(after.seats).toContainEqual({ seat_id: seat, status: 'SOLD' });
      expect((await delta(eventId, after.cursor)).seats).toEqual([]);
    });

    it('sends the full seat map gzipped to clients that accept only gzip (brotli is preferred when offered)', async () => {
      const eventId = await eventIdOf(t, ARENA);
      const plain = await t.app.inject({ method: 'GET', url: `/api/events/${eventId}` });
      const zipped = await t.app.inject({ method: 'GET', url: `/api/events/${eventId}`, headers: { 'accept-encoding': 'gzip' } });
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(zipped.headers['content-encoding']).toBe('gzip');
      expect(zipped.rawPayload.length).toBeLessThan(plain.rawPayload.length / 5);
      expect(JSON.parse(gunzipSync(zipped.rawPayload).toString())).toEqual(plain.json());
    });

    it('lists an expired hold as available at once, before any sweep', async () => {
      const eventId = await eventIdOf(t, ARENA);
      const [seat] = (await freeSeats(t, ARENA, 1, { category: 'CAT3', skip: 5 })) as [string];
      const { cursor } = (await call(t, 'GET', `/api/events/${eventId}`)).json().data as { cursor: number };
      expect((await call(t, 'POST', '/api/reserve', fan2.token, { seat_id: seat })).statusCode).toBe(200);
      const held = await delta(eventId, cursor);
      expect(held.seats).toContainEqual({ seat_id: seat, status: 'HELD' });
      expect((await delta(eventId, held.cursor)).seats).toEqual([]);
      t.clock.advance(t.config.HOLD_TTL_SECONDS * 1000 + 1000);
      // No row changed (the sweeper has not run), yet the poll from the latest cursor learns of the expiry.
      expect((await delta(eventId, held.cursor)).seats).toContainEqual({ seat_id: seat, status: 'AVAILABLE' });
      t.clock.real();
    });

    it('answers EVENT_NOT_FOUND and INVALID_UUID', async () => {
      expect((await call(t, 'GET', '/api/events/00000000-0000-4000-8000-000000000000/seats?since=1')).json().error_code).toBe(
        'EVENT_NOT_FOUND',
      );
      expect((await call(t, 'GET', '/api/events/nope/seats?since=1')).json().error_code).toBe('INVALID_UUID');
    });
  });

  describe('GET /api/credits/history', () => {
    it("lists the caller's ledger newest first, signed, in major units", async () => {
      const [seat] = (await freeSeats(t, ARENA, 1, { category: 'CAT3' })) as [string];
      await buySeat(t, fan2.token, seat);
      const res = await call(t, 'GET', '/api/credits/history?per_page=2', fan2.token);
      expect(res.statusCode).toBe(200);
      const { data, pagination } = res.json();
      expect(data[0]).toMatchObject({ kind: 'PURCHASE', amount: -120, balance_after: 880, reference_type: expect.any(String) });
      expect(data[1]).toMatchObject({ kind: 'OPENING', amount: 1000, balance_after: 1000 });
      expect(pagination).toEqual({ page: 1, per_page: 2, total: 2, total_pages: 1 });
      expect((await call(t, 'GET', '/api/credits/history')).json().error_code).toBe('UNAUTHORIZED');
    });
  });

  describe('payment client config', () => {
    it('names the flow the browser must use for each server setting', async () => {
      expect(
        paymentClientConfig({ STRIPE_SECRET_KEY: undefined, STRIPE_API_URL: undefined, STRIPE_PUBLISHABLE_KEY: undefined }).provider,
      ).toBe('none');
      expect(
        paymentClientConfig({ STRIPE_SECRET_KEY: 'sk_test_x', STRIPE_API_URL: 'http://127.0.0.1:1234', STRIPE_PUBLISHABLE_KEY: undefined }),
      ).toMatchObject({
        provider: 'standin',
        api_url: 'http://127.0.0.1:1234',
        publishable_key: null,
      });
      expect(
        paymentClientConfig({ STRIPE_SECRET_KEY: 'sk_live_x', STRIPE_API_URL: undefined, STRIPE_PUBLISHABLE_KEY: 'pk_live_x' }),
      ).toMatchObject({
        provider: 'stripe',
        publishable_key: 'pk_live_x',
        api_url: null,
      });
      // A real secret key without the publishable key cannot run Stripe.js: the app must not offer card payments.
      expect(
        paymentClientConfig({ STRIPE_SECRET_KEY: 'sk_live_x', STRIPE_API_URL: undefined, STRIPE_PUBLISHABLE_KEY: undefined }).provider,
      ).toBe('none');
      const res = await call(t, 'GET', '/api/credits/payment-client');
      expect(res.json()).toEqual({ success: true, data: { provider: 'none', publishable_key: null, api_url: null, currency: 'sgd' } });
    });
  });

  describe('the web app at /', () => {
    it('serves the app, hashed bundles cached for a year, the rest revalidated, gzip when accepted', async () => {
      const home = await t.app.inject({ method: 'GET', url: '/', headers: { 'accept-encoding': 'gzip' } });
      expect(home.statusCode).toBe(200);
      expect(home.headers['content-encoding']).toBe('gzip');
      expect(home.headers['cache-control']).toBe('no-cache');
      const js = await t.app.inject({ method: 'GET', url: '/app-ABCDEFGH.js' });
      expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(js.headers.etag).toBeTruthy();
      const sw = await t.app.inject({ method: 'GET', url: '/sw.js' });
      expect(sw.headers['cache-control']).toBe('no-cache');
    });

    it('answers app paths with index.html and leaves /api, /docs and /health to the server', async () => {
      const page = await t.app.inject({ method: 'GET', url: '/tickets/123', headers: { accept: 'text/html' } });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('<title>TicketGate</title>');
      const api = await t.app.inject({ method: 'GET', url: '/api/nope', headers: { accept: 'text/html' } });
      expect(api.statusCode).toBe(404);
      expect(api.json().error_code).toBe('NOT_FOUND');
      const missing = await t.app.inject({ method: 'GET', url: '/missing.png', headers: { accept: 'image/png' } });
      expect(missing.statusCode).toBe(404);
      expect((await t.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
      expect((await t.app.inject({ method: 'GET', url: '/api/events' })).json().success).toBe(true);
    });
  });
});

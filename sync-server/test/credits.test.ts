import { randomUUID } from 'node:crypto';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPaymentsProvider, stripePayments } from '../src/providers/payments.js';
import { startStripeStandin, type StripeStandin } from '../src/providers/stripe-standin.js';
import { DEMO, createTestApp, demoUser, tokenFor, type TestApp } from './helpers/app.js';
import { call, createFans } from './helpers/commerce.js';

type User = { id: string; token: string };

describe('credits: balance and top-up', () => {
  let t: TestApp;
  let standin: StripeStandin;
  let stripe: Stripe;
  let fan: User;
  let fan2: User;
  let admin: User;

  beforeAll(async () => {
    standin = await startStripeStandin();
    t = await createTestApp({
      seed: true,
      env: { STRIPE_SECRET_KEY: standin.secretKey, STRIPE_WEBHOOK_SECRET: standin.webhookSecret, STRIPE_API_URL: standin.url },
    });
    const u = new URL(standin.url);
    stripe = new Stripe(standin.secretKey, { host: u.hostname, port: Number(u.port), protocol: 'http' });
    [fan, fan2, admin] = await Promise.all([demoUser(t, DEMO.fan), demoUser(t, DEMO.fan2), demoUser(t, DEMO.admin)]);
  });
  afterAll(async () => {
    await t?.close();
    await standin?.close();
  });

  describe('GET /api/credits/balance', () => {
    it('shows the caller their spendable, frozen and total credits', async () => {
      const [u] = await createFans(t, 1, { balanceCents: 500_00, prefix: 'bal' });
      await t.ctx.pool.query('UPDATE users SET frozen_cents = 120_50 WHERE id = $1', [u!.id]);
      const res = await call(t, 'GET', '/api/credits/balance', u!.token);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({
        success: true,
        data: { user_id: u!.id, credit_balance: 379.5, spendable_credits: 379.5, frozen_credits: 120.5, total_credits: 500 },
      });
      const own = await call(t, 'GET', `/api/credits/balance?user_id=${fan.id}`, fan.token);
      expect(own.json().data).toMatchObject({ user_id: fan.id, credit_balance: 1000 });
    });

    it("FORBIDDEN (403) for another user's balance; an admin may read it", async () => {
      const res = await call(t, 'GET', `/api/credits/balance?user_id=${fan.id}`, fan2.token);
      expect(res.statusCode).toBe(403);
      expect(res.json().error_code).toBe('FORBIDDEN');
      expect(res.body).not.toContain('1000');
      const byAdmin = await call(t, 'GET', `/api/credits/balance?user_id=${fan.id}`, admin.token);
      expect(byAdmin.json().data.user_id).toBe(fan.id);
    });

    it('USER_NOT_FOUND (404), VALIDATION_ERROR (400), UNAUTHORIZED (401) without or with a logged-out token', async () => {
      expect((await call(t, 'GET', `/api/credits/balance?user_id=${randomUUID()}`, admin.token)).json().error_code).toBe('USER_NOT_FOUND');
      expect((await call(t, 'GET', '/api/credits/balance?user_id=me', fan.token)).json().error_code).toBe('VALIDATION_ERROR');
      expect((await call(t, 'GET', '/api/credits/balance')).statusCode).toBe(401);
      const token = await tokenFor(t, fan.id, 'fan');
      expect((await call(t, 'GET', '/api/credits/balance', token)).statusCode).toBe(200);
      expect((await call(t, 'POST', '/api/auth/logout', token, {})).statusCode).toBe(200);
      const out = await call(t, 'GET', '/api/credits/balance', token);
      expect(out.statusCode).toBe(401);
      expect(out.json().error_code).toBe('UNAUTHORIZED');
    });
  });

  describe('POST /api/credits/topup', () => {
    it('creates a PaymentIntent in sgd with the user in its metadata and records a PENDING top-up', async () => {
      const res = await call(t, 'POST', '/api/credits/topup', fan.token, { amount: 100.5 });
      expect(res.statusCode).toBe(200);
      const data = res.json().data;
      expect(data).toMatchObject({ amount: 100.5, currency: 'sgd', message: 'Complete payment on the frontend using Stripe.js' });
      expect(data.client_secret).toMatch(new RegExp(`^${data.payment_intent_id}_secret_`));
      const pi = await stripe.paymentIntents.retrieve(data.payment_intent_id);
      expect(pi).toMatchObject({ amount: 100_50, currency: 'sgd', status: 'requires_payment_method', metadata: { user_id: fan.id } });
      const { rows } = await t.ctx.pool.query('SELECT user_id, amount_cents, currency, status FROM topups WHERE payment_intent_id = $1', [
        pi.id,
      ]);
      expect(rows).toEqual([{ user_id: fan.id, amount_cents: 100_50, currency: 'sgd', status: 'PENDING' }]);
      // Nothing is credited before the payment succeeds.
      expect((await call(t, 'GET', '/api/credits/balance', fan.token)).json().data.total_credits).toBe(1000);
    });

    it('accepts exactly 10,000.00', async () => {
      const res = await call(t, 'POST', '/api/credits/topup', fan2.token, { amount: 10000 });
      expect(res.statusCode).toBe(200);
      expect(res.json().data.amount).toBe(10000);
    });

    it('VALIDATION_ERROR (400) for amounts ≤ 0, above 10,000.00, with three decimals, or not a number', async () => {
      for (const amount of [0, -5, 10000.01, 1.234, '100', null]) {
        const res = await call(t, 'POST', '/api/credits/topup', fan.token, { amount });
        expect(res.statusCode, String(amount)).toBe(400);
        expect(res.json().error_code).toBe('VALIDATION_ERROR');
      }
      expect((await call(t, 'POST', '/api/credits/topup', fan.token, {})).statusCode).toBe(400);
      const { rows } = await t.ctx.pool.query('SELECT count(*)::int AS n FROM topups WHERE user_id = $1', [fan.id]);
      expect(rows[0].n).toBe(1);
    });

    it('INTERNAL_ERROR (500) when Stripe refuses the intent, without leaking its detail or recording a top-up', async () => {
      // Stripe's minimum charge is 0.50: a valid amount for us, an API error from Stripe.
      const res = await call(t, 'POST', '/api/credits/topup', fan2.token, { amount: 0.3 });
      expect(res.statusCode).toBe(500);
      expect(res.json()).toMatchObject({ success: false, error_code: 'INTERNAL_ERROR', message: 'Payment intent creation failed.' });
      const { rows } = await t.ctx.pool.query('SELECT count(*)::int AS n FROM topups WHERE amount_cents = 30');
      expect(rows[0].n).toBe(0);
    });

    it('INTERNAL_ERROR (500) with a key Stripe rejects; SERVICE_UNAVAILABLE (503) when Stripe is unreachable or not configured', async () => {
      const real = t.ctx.payments;
      try {
        t.ctx.payments = stripePayments({ secretKey: 'sk_test_wrong', webhookSecret: undefined, apiUrl: standin.url });
        expect((await call(t, 'POST', '/api/credits/topup', fan.token, { amount: 10 })).json().error_code).toBe('INTERNAL_ERROR');
        t.ctx.payments = stripePayments({ secretKey: standin.secretKey, webhookSecret: undefined, apiUrl: 'http://127.0.0.1:1' });
        const down = await call(t, 'POST', '/api/credits/topup', fan.token, { amount: 10 });
        expect(down.statusCode).toBe(503);
        expect(down.json().error_code).toBe('SERVICE_UNAVAILABLE');
        t.ctx.payments = createPaymentsProvider({});
        const off = await call(t, 'POST', '/api/credits/topup', fan.token, { amount: 10 });
        expect(off.statusCode).toBe(503);
        expect(off.json().message).toMatch(/not configured/);
      } finally {
        t.ctx.payments = real;
      }
    });

    it('UNAUTHORIZED (401) without a token', async () => {
      expect((await call(t, 'POST', '/api/credits/topup', undefined, { amount: 10 })).statusCode).toBe(401);
    });
  });
});

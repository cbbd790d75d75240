import { randomUUID } from 'node:crypto';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { startServer } from '../src/server.js';
import { startStripeStandin, type StripeStandin } from '../src/providers/stripe-standin.js';
import { DEMO, TEST_ENV, createTestApp, demoUser, tokenFor, type TestApp } from './helpers/app.js';
import { createTestDatabase } from './helpers/db.js';
import { balanceCents, call, ledgerMatchesBalance } from './helpers/commerce.js';

type User = { id: string; token: string };

function sdkFor(standin: StripeStandin): Stripe {
  const u = new URL(standin.url);
  return new Stripe(standin.secretKey, { host: u.hostname, port: Number(u.port), protocol: 'http' });
}

async function topupLedger(t: TestApp, paymentIntentId: string) {
  const { rows } = await t.ctx.pool.query(`SELECT user_id, amount_cents FROM credit_ledger WHERE kind = 'TOPUP' AND reference_id = $1`, [
    paymentIntentId,
  ]);
  return rows;
}

describe('Stripe webhook and top-up end to end (stand-in, real SDK, real HTTP)', () => {
  let t: TestApp;
  let standin: StripeStandin;
  let stripe: Stripe;
  let fan: User;
  let fan2: User;

  beforeAll(async () => {
    // Every webhook is posted twice at the same moment: Stripe delivers at least once.
    standin = await startStripeStandin({ deliveryCopies: 2 });
    t = await createTestApp({
      seed: true,
      env: { STRIPE_SECRET_KEY: standin.secretKey, STRIPE_WEBHOOK_SECRET: standin.webhookSecret, STRIPE_API_URL: standin.url },
    });
    const url = await t.app.listen({ host: '127.0.0.1', port: 0 });
    standin.setWebhookUrl(`${url}/api/webhooks/stripe`);
    stripe = sdkFor(standin);
    [fan, fan2] = await Promise.all([demoUser(t, DEMO.fan), demoUser(t, DEMO.fan2)]);
  });
  afterAll(async () => {
    await standin?.close();
    await t?.close();
  });

  const post = (payload: string, signature?: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/webhooks/stripe',
      headers: { 'content-type': 'application/json', ...(signature ? { 'stripe-signature': signature } : {}) },
      payload,
    });
  const sign = (payload: string, secret = standin.webhookSecret) => Stripe.webhooks.generateTestHeaderString({ payload, secret });
  const event = (type: string, object: object, id = `evt_${randomUUID()}`) =>
    JSON.stringify({ id, object: 'event', type, api_version: Stripe.API_VERSION, created: 1, livemode: false, data: { object } });

  it('topup → PaymentIntent → confirm → signed webhook delivered twice at once → balance up exactly once', async () => {
    const before = await balanceCents(t, fan.id);
    const topup = (await call(t, 'POST', '/api/credits/topup', fan.token, { amount: 250 })).json().data;
    const confirmed = await stripe.paymentIntents.confirm(topup.payment_intent_id, { payment_method: 'pm_card_visa' });
    expect(confirmed.status).toBe('succeeded');
    await standin.idle();

    const ev = standin.events().find((e) => e.type === 'payment_intent.succeeded' && e.payload.includes(topup.payment_intent_id))!;
    expect(ev.deliveries).toEqual([200, 200]);
    expect(await balanceCents(t, fan.id)).toBe(before + 250_00);
    expect(await topupLedger(t, topup.payment_intent_id)).toEqual([{ user_id: fan.id, amount_cents: 250_00 }]);
    const { rows } = await t.ctx.pool.query('SELECT status, credited_at FROM topups WHERE payment_intent_id = $1', [
      topup.payment_intent_id,
    ]);
    expect(rows[0].status).toBe('SUCCEEDED');
    expect(rows[0].credited_at).not.toBeNull();
    expect(await ledgerMatchesBalance(t, fan.id)).toBe(true);

    // Replayed later, three copies at once: still credited once.
    expect(await standin.resend(ev.id, 3)).toEqual([200, 200, 200]);
    expect(await balanceCents(t, fan.id)).toBe(before + 250_00);
    const balance = (await call(t, 'GET', '/api/credits/balance', fan.token)).json().data;
    expect(balance.total_credits).toBe((before + 250_00) / 100);
  });

  it('the demo way to pay: confirm on the stand-in with the client secret only', async () => {
    const before = await balanceCents(t, fan2.id);
    const topup = (await call(t, 'POST', '/api/credits/topup', fan2.token, { amount: 42.42 })).json().data;
    const res = await fetch(`${standin.url}/v1/payment_intents/${topup.payment_intent_id}/confirm`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_secret: topup.client_secret }),
    });
    expect(res.status).toBe(200);
    await standin.idle();
    expect(await balanceCents(t, fan2.id)).toBe(before + 42_42);

    const wrongSecret = await fetch(`${standin.url}/v1/payment_intents/${topup.payment_intent_id}`, { method: 'GET' });
    expect(wrongSecret.status).toBe(401);
  });

  it('a declined card sends payment_intent.payment_failed: acknowledged, nothing credited', async () => {
    const before = await balanceCents(t, fan.id);
    const topup = (await call(t, 'POST', '/api/credits/topup', fan.token, { amount: 10 })).json().data;
    await expect(
      stripe.paymentIntents.confirm(topup.payment_intent_id, { payment_method: 'pm_card_chargeDeclined' }),
    ).rejects.toMatchObject({
      type: 'StripeCardError',
      code: 'card_declined',
    });
    await standin.idle();
    const failed = standin.events().find((e) => e.type === 'payment_intent.payment_failed' && e.payload.includes(topup.payment_intent_id))!;
    expect(failed.deliveries).toEqual([200, 200]);
    expect(await balanceCents(t, fan.id)).toBe(before);
  });

  it('400 on a bad signature, a missing one, a tampered body or the wrong secret; nothing is credited', async () => {
    const before = await balanceCents(t, fan.id);
    const payload = event('payment_intent.succeeded', {
      id: `pi_${randomUUID()}`,
      object: 'payment_intent',
      amount: 500_00,
      amount_received: 500_00,
      currency: 'sgd',
      metadata: { user_id: fan.id },
    });
    const cases = [
      post(payload, 't=1,v1=deadbeef'),
      post(payload),
      post(payload.replace('50000', '90000'), sign(payload)),
      post(payload, sign(payload, 'whsec_not_ours')),
    ];
    for (const res of await Promise.all(cases)) {
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ success: false, error_code: 'VALIDATION_ERROR' });
    }
    expect(await balanceCents(t, fan.id)).toBe(before);
    const { rows } = await t.ctx.pool.query('SELECT count(*)::int AS n FROM stripe_events WHERE event_id = $1', [JSON.parse(payload).id]);
    expect(rows[0].n).toBe(0);
  });

  it('200 {received:true} for event types it does not handle (recorded, ignored)', async () => {
    const payload = event('customer.created', { id: 'cus_123', object: 'customer' });
    const res = await post(payload, sign(payload));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ received: true });
    const { rows } = await t.ctx.pool.query('SELECT type FROM stripe_events WHERE event_id = $1', [JSON.parse(payload).id]);
    expect(rows).toEqual([{ type: 'customer.created' }]);
  });

  it('credits once per PaymentIntent, even across different event ids; a payment made outside the API is credited from its metadata', async () => {
    const before = await balanceCents(t, fan2.id);
    // Created straight at "Stripe" (no topups row yet): the webhook records the top-up from the metadata.
    const pi = await stripe.paymentIntents.create({ amount: 75_00, currency: 'sgd', metadata: { user_id: fan2.id } });
    const succeeded = { ...pi, status: 'succeeded', amount_received: 75_00 };
    const first = event('payment_intent.succeeded', succeeded);
    const second = event('payment_intent.succeeded', succeeded);
    const answers = await Promise.all([post(first, sign(first)), post(second, sign(second))]);
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200]);
    expect(await balanceCents(t, fan2.id)).toBe(before + 75_00);
    expect(await topupLedger(t, pi.id)).toHaveLength(1);
  });

  it('ignores succeeded payments that are not credit top-ups (no known user, other currency)', async () => {
    const before = await balanceCents(t, fan.id);
    for (const object of [
      {
        id: `pi_${randomUUID()}`,
        object: 'payment_intent',
        amount: 100,
        amount_received: 100,
        currency: 'sgd',
        metadata: { user_id: randomUUID() },
      },
      {
        id: `pi_${randomUUID()}`,
        object: 'payment_intent',
        amount: 100,
        amount_received: 100,
        currency: 'usd',
        metadata: { user_id: fan.id },
      },
      { id: `pi_${randomUUID()}`, object: 'payment_intent', amount: 100, amount_received: 100, currency: 'sgd', metadata: {} },
    ]) {
      const payload = event('payment_intent.succeeded', object);
      const res = await post(payload, sign(payload));
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ received: true });
    }
    expect(await balanceCents(t, fan.id)).toBe(before);
  });
});

describe('demo start without a Stripe key', () => {
  it('startServer runs the stand-in in-process and routes its webhooks back to itself', async () => {
    const db = await createTestDatabase();
    const config = loadConfig({ ...TEST_ENV, DEMO: 'true', DATABASE_URL: db.url, HOST: '127.0.0.1', PORT: '0' });
    expect(config.STRIPE_SECRET_KEY).toBeUndefined();
    const server = await startServer(config);
    try {
      const standinUrl = server.ctx.config.STRIPE_API_URL!;
      expect(standinUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const { rows } = await server.ctx.pool.query("SELECT id FROM users WHERE email = 'fan@demo.ticketgate.test'");
      const userId = rows[0].id as string;
      const token = await tokenFor(server, userId, 'fan', 300);
      const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };

      type Envelope<T> = { success: boolean; data: T };
      const topupRes = await fetch(`${server.url}/api/credits/topup`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ amount: 20 }),
      });
      const topup = (await topupRes.json()) as Envelope<{ payment_intent_id: string; client_secret: string }>;
      expect(topup.success).toBe(true);
      const { payment_intent_id: id, client_secret: secret } = topup.data;
      const paid = await fetch(`${standinUrl}/v1/payment_intents/${id}/confirm`, {
        method: 'POST',
        body: new URLSearchParams({ client_secret: secret }),
      });
      expect(paid.status).toBe(200);
      await expect
        .poll(
          async () => {
            const balance = (await (await fetch(`${server.url}/api/credits/balance`, { headers: auth })).json()) as Envelope<{
              total_credits: number;
            }>;
            return balance.data.total_credits;
          },
          { timeout: 15_000 },
        )
        .toBe(1020);
    } finally {
      await server.close();
      await db.drop();
    }
  });
});

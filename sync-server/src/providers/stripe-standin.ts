import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';

/**
 * A local stand-in for the part of the Stripe API the top-up flow uses, so the
 * demo and the tests run the real `stripe` SDK end to end without an account or
 * internet: PaymentIntent create / retrieve / confirm (form-encoded requests,
 * Stripe-shaped JSON and errors), and signed webhooks (`Stripe-Signature`, made
 * with the SDK's own generateTestHeaderString) posted to a configured URL when
 * an intent is confirmed. A development aid only: with STRIPE_SECRET_KEY set
 * and no STRIPE_API_URL the server talks to the real Stripe API.
 *
 * Confirming mimics Stripe.js: either the secret key or the intent's
 * client_secret authorises it. `payment_method=pm_card_chargeDeclined` declines.
 */
export interface StripeStandinOptions {
  host?: string;
  port?: number;
  secretKey?: string;
  webhookSecret?: string;
  webhookUrl?: string;
  /** Copies of each webhook posted at once (Stripe delivers at least once; tests use 2). */
  deliveryCopies?: number;
  log?: (line: string) => void;
}

export interface StandinEvent {
  id: string;
  type: string;
  payload: string;
  deliveries: number[];
}

export interface StripeStandin {
  url: string;
  secretKey: string;
  webhookSecret: string;
  setWebhookUrl(url: string): void;
  /** Resolves when every webhook delivery started so far has finished (retries included). */
  idle(): Promise<void>;
  /** Posts an event again (`copies` at once), as Stripe does on retries; returns the HTTP statuses. */
  resend(eventId: string, copies?: number): Promise<number[]>;
  events(): readonly StandinEvent[];
  close(): Promise<void>;
}

type PaymentIntent = {
  id: string;
  object: 'payment_intent';
  amount: number;
  amount_received: number;
  currency: string;
  status: 'requires_payment_method' | 'succeeded';
  client_secret: string;
  metadata: Record<string, string>;
  payment_method: string | null;
  last_payment_error: { code: string; message: string; type: string } | null;
  created: number;
  livemode: false;
  description: string | null;
};

class StripeApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly code?: string,
    readonly param?: string,
  ) {
    super(message);
  }
}

const MIN_AMOUNT = 50; // Stripe's minimum charge in SGD cents.
const DELIVERY_ATTEMPTS = 3;

export async function startStripeStandin(opts: StripeStandinOptions = {}): Promise<StripeStandin> {
  const secretKey = opts.secretKey ?? 'sk_test_standin';
  const webhookSecret = opts.webhookSecret ?? `whsec_standin_${randomBytes(16).toString('hex')}`;
  const log = opts.log ?? (() => {});
  let webhookUrl = opts.webhookUrl;
  const intents = new Map<string, PaymentIntent>();
  const events = new Map<string, StandinEvent>();
  const idempotent = new Map<string, { status: number; body: string }>();
  const inFlight = new Set<Promise<unknown>>();

  const post = async (payload: string): Promise<number> => {
    if (!webhookUrl) return 0;
    const header = Stripe.webhooks.generateTestHeaderString({ payload, secret: webhookSecret });
    for (let attempt = 1; ; attempt++) {
      try {
        const res = await fetch(webhookUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'stripe-signature': header },
          body: payload,
        });
        await res.arrayBuffer();
        if (res.ok || attempt >= DELIVERY_ATTEMPTS) return res.status;
      } catch (err) {
        if (attempt >= DELIVERY_ATTEMPTS) {
          log(`webhook delivery to ${webhookUrl} failed: ${(err as Error).message}`);
          return 0;
        }
      }
      await new Promise((r) => setTimeout(r, 100 * 2 ** attempt));
    }
  };

  const deliver = (ev: StandinEvent, copies: number): Promise<number[]> => {
    const p = Promise.all(Array.from({ length: copies }, () => post(ev.payload))).then((statuses) => {
      ev.deliveries.push(...statuses);
      return statuses;
    });
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
    return p;
  };

  const emit = (type: string, pi: PaymentIntent) => {
    const id = `evt_${randomId()}`;
    const payload = JSON.stringify({
      id,
      object: 'event',
      api_version: Stripe.API_VERSION,
      created: Math.floor(Date.now() / 1000),
      data: { object: pi },
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type,
    });
    const ev: StandinEvent = { id, type, payload, deliveries: [] };
    events.set(id, ev);
    void deliver(ev, opts.deliveryCopies ?? 1);
  };

  const authorised = (req: IncomingMessage, form?: Record<string, unknown>, pi?: PaymentIntent): boolean => {
    const auth = req.headers.authorization ?? '';
    const bearer = /^Bearer\s+(\S+)$/i.exec(auth)?.[1];
    const basic = /^Basic\s+(\S+)$/i.exec(auth)?.[1];
    const key = bearer ?? (basic ? Buffer.from(basic, 'base64').toString().split(':')[0] : undefined);
    if (key === secretKey) return true;
    return !!pi && typeof form?.client_secret === 'string' && form.client_secret === pi.client_secret;
  };

  const route = async (req: IncomingMessage): Promise<{ status: number; body: unknown }> => {
    const url = new URL(req.url ?? '/', 'http://standin');
    const form = parseForm(await readBody(req));
    const parts = url.pathname.split('/').filter(Boolean);
    if (parts[0] !== 'v1' || parts[1] !== 'payment_intents') {
      throw new StripeApiError(404, 'invalid_request_error', `Unrecognized request URL (${req.method}: ${url.pathname}).`);
    }
    const pi = parts[2] ? intents.get(parts[2]) : undefined;
    if (!authorised(req, form, pi)) {
      throw new StripeApiError(401, 'invalid_request_error', 'Invalid API Key provided.', 'api_key_invalid');
    }
    if (req.method === 'POST' && parts.length === 2) return { status: 200, body: createIntent(form) };
    if (parts[2] && !pi) {
      throw new StripeApiError(404, 'invalid_request_error', `No such payment_intent: '${parts[2]}'`, 'resource_missing', 'intent');
    }
    if (req.method === 'GET' && parts.length === 3) return { status: 200, body: pi };
    if (req.method === 'POST' && parts.length === 4 && parts[3] === 'confirm') return confirmIntent(pi!, form);
    throw new StripeApiError(404, 'invalid_request_error', `Unrecognized request URL (${req.method}: ${url.pathname}).`);
  };

  const createIntent = (form: Record<string, unknown>): PaymentIntent => {
    const amount = Number(form.amount);
    if (!Number.isInteger(amount) || amount <= 0) {
      throw new StripeApiError(400, 'invalid_request_error', 'Invalid positive integer', 'parameter_invalid_integer', 'amount');
    }
    if (amount < MIN_AMOUNT) {
      throw new StripeApiError(400, 'invalid_request_error', 'Amount must be at least $0.50 sgd', 'amount_too_small', 'amount');
    }
    const currency = String(form.currency ?? '').toLowerCase();
    if (!/^[a-z]{3}$/.test(currency))
      throw new StripeApiError(400, 'invalid_request_error', 'Invalid currency', 'parameter_invalid', 'currency');
    const id = `pi_${randomId()}`;
    const pi: PaymentIntent = {
      id,
      object: 'payment_intent',
      amount,
      amount_received: 0,
      currency,
      status: 'requires_payment_method',
      client_secret: `${id}_secret_${randomId()}`,
      metadata: (form.metadata as Record<string, string> | undefined) ?? {},
      payment_method: null,
      last_payment_error: null,
      created: Math.floor(Date.now() / 1000),
      livemode: false,
      description: typeof form.description === 'string' ? form.description : null,
    };
    intents.set(id, pi);
    return pi;
  };

  const confirmIntent = (pi: PaymentIntent, form: Record<string, unknown>): { status: number; body: unknown } => {
    if (pi.status === 'succeeded') {
      throw new StripeApiError(
        400,
        'invalid_request_error',
        'This PaymentIntent has already succeeded.',
        'payment_intent_unexpected_state',
      );
    }
    const method = typeof form.payment_method === 'string' ? form.payment_method : 'pm_card_visa';
    pi.payment_method = method;
    if (method === 'pm_card_chargeDeclined') {
      pi.last_payment_error = { code: 'card_declined', message: 'Your card was declined.', type: 'card_error' };
      emit('payment_intent.payment_failed', structuredClone(pi));
      throw new StripeApiError(402, 'card_error', 'Your card was declined.', 'card_declined');
    }
    pi.status = 'succeeded';
    pi.amount_received = pi.amount;
    pi.last_payment_error = null;
    emit('payment_intent.succeeded', structuredClone(pi));
    return { status: 200, body: pi };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    // A browser page confirms intents here with their client secret, as Stripe.js does with api.stripe.com.
    res.setHeader('access-control-allow-origin', '*');
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { 'access-control-allow-methods': 'GET, POST', 'access-control-allow-headers': 'content-type, authorization' });
      res.end();
      return;
    }
    const key = req.method === 'POST' ? req.headers['idempotency-key'] : undefined;
    const replay = typeof key === 'string' ? idempotent.get(key) : undefined;
    let out: { status: number; body: string };
    if (replay) {
      out = replay;
    } else {
      try {
        const r = await route(req);
        out = { status: r.status, body: JSON.stringify(r.body) };
      } catch (err) {
        const e = err instanceof StripeApiError ? err : new StripeApiError(500, 'api_error', 'Internal stand-in error.');
        out = { status: e.status, body: JSON.stringify({ error: { type: e.type, message: e.message, code: e.code, param: e.param } }) };
      }
      if (typeof key === 'string') idempotent.set(key, out);
    }
    res.writeHead(out.status, { 'content-type': 'application/json', 'request-id': `req_${randomId()}` });
    res.end(out.body);
  };

  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;

  return {
    url: `http://${opts.host ?? '127.0.0.1'}:${address.port}`,
    secretKey,
    webhookSecret,
    setWebhookUrl(url) {
      webhookUrl = url;
    },
    async idle() {
      while (inFlight.size) await Promise.allSettled([...inFlight]);
    },
    async resend(eventId, copies = 1) {
      const ev = events.get(eventId);
      if (!ev) throw new Error(`no event ${eventId}`);
      return deliver(ev, copies);
    },
    events: () => [...events.values()],
    async close() {
      await Promise.allSettled([...inFlight]);
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
    },
  };
}

/**
 * Starts the stand-in for `npm start` in demo mode without a Stripe key: the
 * returned settings point the SDK at it; `deliverTo` names the webhook URL
 * once the server listens, and `instructions` tells a demo user how to pay.
 */
export async function startDemoStripe(log: (line: string) => void = () => {}) {
  const standin = await startStripeStandin({ log });
  return {
    standin,
    settings: { STRIPE_SECRET_KEY: standin.secretKey, STRIPE_WEBHOOK_SECRET: standin.webhookSecret, STRIPE_API_URL: standin.url },
    deliverTo(serverAddress: AddressInfo | string | null) {
      if (serverAddress && typeof serverAddress === 'object') {
        standin.setWebhookUrl(`http://127.0.0.1:${serverAddress.port}/api/webhooks/stripe`);
      }
    },
    instructions(): string {
      return [
        `Stripe stand-in at ${standin.url} (no STRIPE_SECRET_KEY set; demo card payments stay local).`,
        '  To top up: POST /api/credits/topup {"amount": 100.00} → client_secret "pi_XXX_secret_YYY", then "pay" it with',
        `  curl -X POST ${standin.url}/v1/payment_intents/pi_XXX/confirm -d client_secret=pi_XXX_secret_YYY`,
        '  The stand-in then sends the signed payment_intent.succeeded webhook to /api/webhooks/stripe and the credits arrive.',
      ].join('\n');
    },
  };
}

function randomId(): string {
  return randomBytes(12).toString('base64url').replace(/[-_]/g, 'x');
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Stripe's form encoding: `metadata[user_id]=…&automatic_payment_methods[enabled]=true` → nested objects. */
export function parseForm(body: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const path = key.split(/\[|\]/).filter((p) => p !== '');
    if (path.some((p) => p === '__proto__' || p === 'constructor' || p === 'prototype')) continue;
    let node = out;
    for (const [i, part] of path.entries()) {
      if (i === path.length - 1) node[part] = value;
      else node = (node[part] ??= {}) as Record<string, unknown>;
    }
  }
  return out;
}

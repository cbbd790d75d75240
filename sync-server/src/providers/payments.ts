import Stripe from 'stripe';
import type { Config } from '../config.js';
import { DomainError } from '../domain/errors.js';

export interface TopUpIntent {
  paymentIntentId: string;
  clientSecret: string;
  amountCents: number;
  currency: string;
}

/** A verified webhook event, reduced to what the credit ledger needs. */
export interface PaymentEvent {
  id: string;
  type: string;
  paymentIntent?: {
    id: string;
    /** What was actually collected (amount_received), falling back to the intent's amount. */
    amountCents: number;
    currency: string;
    userId: string | null;
  };
}

export class WebhookSignatureError extends Error {}

/**
 * Card payments for credit top-ups. The domain sees only this interface; the
 * Stripe SDK stays in this file, so the stand-in, a real account or a test
 * double are the same to the rest of the server.
 */
export interface PaymentsProvider {
  readonly name: string;
  createTopUp(input: { userId: string; amountCents: number; currency: string }): Promise<TopUpIntent>;
  /** Checks the signature over the raw request bytes; throws WebhookSignatureError when it does not hold. */
  verifyWebhook(rawBody: Buffer, signature: string): PaymentEvent;
}

export function createPaymentsProvider(
  config: Pick<Config, 'STRIPE_SECRET_KEY' | 'STRIPE_WEBHOOK_SECRET' | 'STRIPE_API_URL'>,
): PaymentsProvider {
  if (!config.STRIPE_SECRET_KEY) return unconfigured;
  return stripePayments({
    secretKey: config.STRIPE_SECRET_KEY,
    webhookSecret: config.STRIPE_WEBHOOK_SECRET,
    apiUrl: config.STRIPE_API_URL,
  });
}

export function stripePayments(opts: {
  secretKey: string;
  webhookSecret: string | undefined;
  apiUrl: string | undefined;
}): PaymentsProvider {
  const stripe = new Stripe(opts.secretKey, { ...endpointOf(opts.apiUrl), maxNetworkRetries: 1, timeout: 15_000, telemetry: false });
  return {
    name: opts.apiUrl ? `stripe (${opts.apiUrl})` : 'stripe',
    async createTopUp({ userId, amountCents, currency }) {
      let pi: Stripe.PaymentIntent;
      try {
        pi = await stripe.paymentIntents.create({
          amount: amountCents,
          currency,
          metadata: { user_id: userId, purpose: 'credit_topup' },
          automatic_payment_methods: { enabled: true },
        });
      } catch (err) {
        if (err instanceof Stripe.errors.StripeConnectionError) {
          throw new DomainError('SERVICE_UNAVAILABLE', 'The payment provider is unreachable. Retry shortly.');
        }
        throw new DomainError('INTERNAL_ERROR', 'Payment intent creation failed.');
      }
      if (!pi.client_secret) throw new DomainError('INTERNAL_ERROR', 'Payment intent creation failed (no client secret).');
      return { paymentIntentId: pi.id, clientSecret: pi.client_secret, amountCents: pi.amount, currency: pi.currency };
    },
    verifyWebhook(rawBody, signature) {
      if (!opts.webhookSecret) throw new WebhookSignatureError('STRIPE_WEBHOOK_SECRET is not configured');
      let event: Stripe.Event;
      try {
        event = stripe.webhooks.constructEvent(rawBody, signature, opts.webhookSecret);
      } catch (err) {
        throw new WebhookSignatureError(err instanceof Error ? err.message : 'signature verification failed');
      }
      return toPaymentEvent(event);
    },
  };
}

function toPaymentEvent(event: Stripe.Event): PaymentEvent {
  const out: PaymentEvent = { id: event.id, type: event.type };
  const obj = event.data.object as { object?: string };
  if (obj.object === 'payment_intent') {
    const pi = obj as Stripe.PaymentIntent;
    out.paymentIntent = {
      id: pi.id,
      amountCents: pi.amount_received || pi.amount,
      currency: pi.currency,
      userId: pi.metadata?.user_id ?? null,
    };
  }
  return out;
}

/** STRIPE_API_URL (the stand-in, a proxy) → the SDK's host/port/protocol options. */
function endpointOf(apiUrl: string | undefined): { host?: string; port?: number; protocol?: 'http' | 'https' } {
  if (!apiUrl) return {};
  const u = new URL(apiUrl);
  const protocol = u.protocol === 'http:' ? 'http' : 'https';
  return { host: u.hostname, port: u.port ? Number(u.port) : protocol === 'http' ? 80 : 443, protocol };
}

const unconfigured: PaymentsProvider = {
  name: 'none',
  async createTopUp() {
    throw new DomainError('SERVICE_UNAVAILABLE', 'Card payments are not configured on this server (STRIPE_SECRET_KEY).');
  },
  verifyWebhook() {
    throw new WebhookSignatureError('payments are not configured');
  },
};

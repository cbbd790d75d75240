import type { Config } from '../config.js';
import { TOPUP_CURRENCY } from '../domain/credits/topup.js';

export interface PaymentClientConfig {
  provider: 'stripe' | 'standin' | 'none';
  publishable_key: string | null;
  api_url: string | null;
  currency: string;
}

/**
 * What the browser needs to finish a top-up. A STRIPE_API_URL means the server
 * talks to a Stripe-compatible stand-in (providers/stripe-standin.ts): the
 * browser confirms there with the intent's client secret, as Stripe.js would.
 * Otherwise a secret key means real Stripe, which needs the publishable key.
 */
export function paymentClientConfig(
  config: Pick<Config, 'STRIPE_SECRET_KEY' | 'STRIPE_API_URL' | 'STRIPE_PUBLISHABLE_KEY'>,
): PaymentClientConfig {
  const base = { publishable_key: null, api_url: null, currency: TOPUP_CURRENCY };
  if (!config.STRIPE_SECRET_KEY) return { ...base, provider: 'none' };
  if (config.STRIPE_API_URL) return { ...base, provider: 'standin', api_url: config.STRIPE_API_URL };
  if (!config.STRIPE_PUBLISHABLE_KEY) return { ...base, provider: 'none' };
  return { ...base, provider: 'stripe', publishable_key: config.STRIPE_PUBLISHABLE_KEY };
}

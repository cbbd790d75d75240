import { z } from 'zod';

// Response schema of routes/payment-client.ts, with its OpenAPI description.

export const ClientConfig = z.object({
  provider: z
    .enum(['stripe', 'standin', 'none'])
    .describe(
      'stripe: confirm with Stripe.js and publishable_key; standin: confirm at api_url with the client secret; none: no card payments',
    ),
  publishable_key: z.string().nullable(),
  api_url: z.string().nullable().describe('standin only: the Stripe-compatible API that confirms the PaymentIntent'),
  currency: z.string(),
});

export const description =
  'Public. Which client flow completes the PaymentIntent of POST /api/credits/topup: Stripe.js with the publishable key, ' +
  "the local Stripe stand-in's API (development without a Stripe account), or none when card payments are not configured.";

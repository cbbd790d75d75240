import { ok } from '@ticketgate/protocol';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { paymentClientConfig } from '../providers/payment-client.js';

const ClientConfig = z.object({
  provider: z
    .enum(['stripe', 'standin', 'none'])
    .describe(
      'stripe: confirm with Stripe.js and publishable_key; standin: confirm at api_url with the client secret; none: no card payments',
    ),
  publishable_key: z.string().nullable(),
  api_url: z.string().nullable().describe('standin only: the Stripe-compatible API that confirms the PaymentIntent'),
  currency: z.string(),
});

/** How a browser completes a top-up's PaymentIntent on this server (docs/fan-app.md). */
export const paymentClientRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/credits/payment-client',
    {
      schema: {
        tags: ['Credits'],
        summary: 'How the browser confirms a top-up payment',
        description:
          'Public. Which client flow completes the PaymentIntent of POST /api/credits/topup: Stripe.js with the publishable key, ' +
          "the local Stripe stand-in's API (development without a Stripe account), or none when card payments are not configured.",
        response: { 200: ok(ClientConfig) },
      },
    },
    async () => ({ success: true as const, data: paymentClientConfig(app.ctx.config) }),
  );
};

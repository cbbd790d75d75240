import { ok } from '@ticketgate/protocol';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { paymentClientConfig } from '../providers/payment-client.js';
import { ClientConfig, description } from './schemas/payment-client.js';

/** How a browser completes a top-up's PaymentIntent on this server (docs/fan-app.md). */
export const paymentClientRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/credits/payment-client',
    {
      schema: {
        tags: ['Credits'],
        summary: 'How the browser confirms a top-up payment',
        description,
        response: { 200: ok(ClientConfig) },
      },
    },
    async () => ({ success: true as const, data: paymentClientConfig(app.ctx.config) }),
  );
};

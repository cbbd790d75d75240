import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { applyPaymentEvent } from '../domain/credits/apply-payment-event.js';
import { DomainError } from '../domain/errors.js';
import { WebhookSignatureError } from '../providers/payments.js';
import { Headers, Received, docs } from './schemas/webhooks.js';

/** POST /api/webhooks/stripe. */
export const webhookRoutes: FastifyPluginAsyncZod = async (app) => {
  // The signature covers the exact bytes Stripe sent, so this scope keeps the body raw.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  app.post(
    '/webhooks/stripe',
    {
      schema: {
        tags: ['Credits'],
        summary: 'Stripe webhook (payment_intent.succeeded → credits)',
        description: docs.description,
        headers: Headers,
        body: z.unknown().describe('A Stripe Event object as JSON; verified on the raw bytes, so any content type is read as-is'),
        response: { 200: Received, ...docs.errors },
      },
    },
    async (req) => {
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      let event;
      try {
        event = app.ctx.payments.verifyWebhook(raw, req.headers['stripe-signature']);
      } catch (err) {
        if (err instanceof WebhookSignatureError)
          throw new DomainError('VALIDATION_ERROR', `Webhook signature verification failed: ${err.message}`);
        throw err;
      }
      const outcome = await applyPaymentEvent(app.ctx, event, (msg, detail) => req.log.warn(detail ?? {}, msg));
      req.log.info({ event: event.id, type: event.type, outcome }, 'stripe webhook');
      return { received: true as const };
    },
  );
};

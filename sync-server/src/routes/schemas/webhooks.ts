import { z } from 'zod';
import { documentErrors } from '../../http/error-docs.js';

// Request and response schemas of routes/webhooks.ts, with their OpenAPI descriptions and error tables.

export const Received = z.object({ received: z.literal(true) });

export const Headers = z.object({ 'stripe-signature': z.string().min(1).describe('Signature over the raw body (Stripe-Signature)') });

export const docs = documentErrors(
  'Public, authenticated by the Stripe-Signature header over the raw request body (STRIPE_WEBHOOK_SECRET). ' +
    'payment_intent.succeeded credits the top-up once — per event id and per PaymentIntent, also for replayed or concurrent ' +
    'deliveries. Other event types are acknowledged and ignored. Answers `{"received": true}` (not the envelope), as Stripe expects.',
  [
    ['VALIDATION_ERROR', 'Missing or invalid Stripe-Signature (HTTP 400, so Stripe shows the delivery as failed)'],
    ['SERVICE_UNAVAILABLE', 'The database is unreachable: Stripe retries later'],
  ],
);

import { z } from 'zod';
import { AUTH_ERRORS, documentErrors } from '../../http/error-docs.js';

// Request and response schemas of routes/ops-outbox.ts, with their OpenAPI descriptions and error tables.

export const OutboxMessage = z.object({
  id: z.number().int(),
  user_id: z.uuid().nullable().describe('Recipient user'),
  phone: z.string(),
  text: z.string(),
  created_at: z.string().describe('ISO 8601, UTC'),
});

export const docs = documentErrors(
  'Admins only. What the development SMS provider would have sent (OTP codes included), newest first. The outbox exists ' +
    'only in development and tests: a production server refuses to start with it, and with Twilio configured nothing is stored.',
  [...AUTH_ERRORS, ['FORBIDDEN', 'Caller is not an admin'], ['VALIDATION_ERROR', 'Bad query (page ≥ 1, 1 ≤ per_page ≤ 100)']],
);

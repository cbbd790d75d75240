import { ok } from '@ticketgate/protocol';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { findUserByEmail } from '../domain/auth/find-user-by-email.js';
import { AppError } from '../http/app-error.js';
import { AUTH_ERRORS, documentErrors } from '../http/error-docs.js';
import { rateLimitHook, useRateLimits } from '../http/rate-limits.js';

/** Lookups a signed-in user may make a minute: enough to fix a typo or two, too few to walk an address list. */
export const USER_LOOKUPS_PER_MINUTE = 10;

const LookupBody = z.object({ email: z.email('must be a valid email address').max(254) });
const FoundUser = z.object({
  user_id: z.uuid().describe('Pass it as buyer_user_id (or seller_user_id) to POST /api/transfer/initiate'),
  name: z.string().describe('Display name, so the seller can check they found the right person'),
});

const docs = documentErrors(
  'Finds the account with exactly this email (case-insensitive), so a seller can start a transfer to a buyer they know by email. ' +
    'A near miss answers exactly as an unknown address does. The email travels in the body, not the URL, to stay out of access logs. ' +
    `Limited to ${USER_LOOKUPS_PER_MINUTE} lookups a minute per user and per client address.`,
  [
    ...AUTH_ERRORS,
    ['VALIDATION_ERROR', 'email missing or not an email address'],
    ['USER_NOT_FOUND', 'No account has exactly this email'],
    ['RATE_LIMITED', 'Too many lookups in the last minute'],
  ],
);

/** Exact-email user lookup for transfers (docs/api.md). */
export const userLookupRoutes: FastifyPluginAsyncZod = async (app) => {
  await useRateLimits(app);
  app.post(
    '/users/lookup',
    {
      onRequest: rateLimitHook(app, [{ max: USER_LOOKUPS_PER_MINUTE * 3 }]),
      preHandler: [app.authenticate, rateLimitHook(app, [{ max: USER_LOOKUPS_PER_MINUTE, key: (req) => `lookup:${req.user!.id}` }])],
      schema: {
        tags: ['Transfers'],
        security: [{ bearer: [] }],
        summary: 'Find a user by exact email (for transfers)',
        description: docs.description,
        body: LookupBody,
        response: { 200: ok(FoundUser), ...docs.errors },
      },
    },
    async (req) => {
      const found = await findUserByEmail(app.ctx.pool, req.body.email);
      if (!found) throw new AppError('USER_NOT_FOUND', 'No account has this email address.');
      return { success: true as const, data: { user_id: found.id, name: found.name } };
    },
  );
};

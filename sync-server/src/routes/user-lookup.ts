import { ok } from '@ticketgate/protocol';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { findUserByEmail } from '../domain/auth/find-user-by-email.js';
import { DomainError } from '../domain/errors.js';
import { rateLimitHook, useRateLimits } from '../http/rate-limits.js';
import { FoundUser, LookupBody, USER_LOOKUPS_PER_MINUTE, docs } from './schemas/user-lookup.js';

/** Exact-email user lookup for transfers (docs/api.md). */
export const userLookupRoutes: FastifyPluginAsyncZod = async (app) => {
  await useRateLimits(app);
  app.post(
    '/users/lookup',
    {
      // Per address before the token is read; per user after, so changing address does not reset the count.
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
      if (!found) throw new DomainError('USER_NOT_FOUND', 'No account has this email address.');
      return { success: true as const, data: { user_id: found.id, name: found.name } };
    },
  );
};

import { ok } from '@ticketgate/protocol';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { findUserByEmail } from '../domain/auth/find-user-by-email.js';
import { DomainError } from '../domain/errors.js';
import { limitHook, limitsOf } from '../http/rate-limits.js';
import { FoundUser, LookupBody, USER_LOOKUPS_PER_MINUTE, docs } from './schemas/user-lookup.js';

/** Exact-email user lookup for transfers (docs/api.md). */
export const userLookupRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  const perUser = { name: 'lookup', max: USER_LOOKUPS_PER_MINUTE, windowMs: 60_000 };
  app.post(
    '/users/lookup',
    {
      // The server's per-address limit before the token is read; per user after, so changing address does not reset the count.
      onRequest: limitHook(ctx.limiter, limitsOf(ctx.config).address),
      preHandler: [app.authenticate, limitHook(ctx.limiter, perUser, (req) => req.user!.id)],
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
      const found = await findUserByEmail(ctx.pool, req.body.email);
      if (!found) throw new DomainError('USER_NOT_FOUND', 'No account has this email address.');
      return { success: true as const, data: { user_id: found.id, name: found.name } };
    },
  );
};

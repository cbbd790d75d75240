import { fromCents } from '@ticketgate/protocol';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { EVENT_TYPES } from '../domain/catalog/event-types.js';
import { recommendEvents, userExists } from '../domain/search/recommend-events.js';
import { searchEvents } from '../domain/search/search-events.js';
import { DomainError } from '../domain/errors.js';
import { limitHook } from '../http/rate-limits.js';
import { requireOwnRecommendations } from '../policy/access.js';
import { serviceKeyOrRole } from '../plugins/service-key.js';
import { tags, SEARCHES_PER_MINUTE, docs } from './schemas/search.js';

/** Veritix search and recommendations (docs/analytics.md). */
export const searchRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  const limited = limitHook(ctx.limiter, { name: 'search', max: SEARCHES_PER_MINUTE, windowMs: 60_000 });
  const selfOrService = serviceKeyOrRole(app, 'fan');

  app.post(
    '/search-events',
    {
      onRequest: limited,
      schema: {
        tags,
        summary: 'Natural-language event search',
        description: docs.search.description,
        body: z.object({ query: z.string().trim().min(1).max(200) }),
        response: {
          200: z.object({
            query: z.string(),
            results: z.array(
              z.object({
                id: z.uuid(),
                name: z.string(),
                description: z.string(),
                event_type: z.enum(EVENT_TYPES),
                location: z.string().describe('Venue, city'),
                date: z.string().describe('YYYY-MM-DD (UTC)'),
                starts_at: z.string().describe('TicketGate extra: ISO 8601, UTC'),
                price: z.number().describe('Lowest price, SGD'),
                capacity: z.number().int(),
              }),
            ),
            count: z.number().int(),
            keywords_extracted: z.array(z.string()),
          }),
          ...docs.search.errors,
        },
      },
    },
    async (req) => {
      const { parsed, events } = await searchEvents(ctx.pool, req.body.query, ctx.now());
      return {
        query: req.body.query,
        results: events.map((e) => ({
          id: e.id,
          name: e.name,
          description: e.description,
          event_type: e.eventType,
          location: [e.venueName, e.city].filter(Boolean).join(', '),
          date: e.eventDate.toISOString().slice(0, 10),
          starts_at: e.eventDate.toISOString(),
          price: fromCents(e.fromPriceCents),
          capacity: e.capacity,
        })),
        count: events.length,
        keywords_extracted: parsed.keywords,
      };
    },
  );

  app.post(
    '/recommend-events',
    {
      preHandler: selfOrService,
      schema: {
        tags,
        security: [{ bearer: [] }, { serviceKey: [] }],
        summary: 'Up to three event recommendations for a user',
        description: docs.recommend.description,
        body: z.object({ user_id: z.uuid() }),
        response: { 200: z.object({ recommendations: z.array(z.uuid()).max(3) }), ...docs.recommend.errors },
      },
    },
    async (req) => {
      const userId = req.body.user_id;
      requireOwnRecommendations(req.user ?? { service: true }, userId);
      if (!(await userExists(ctx.pool, userId))) throw new DomainError('USER_NOT_FOUND', 'User not found');
      return { recommendations: await recommendEvents(ctx.pool, userId, { now: ctx.now() }) };
    },
  );
};

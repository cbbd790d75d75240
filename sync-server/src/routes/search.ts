import { fromCents } from '@ticketgate/protocol';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { EVENT_TYPES } from '../domain/catalog/event-types.js';
import { recommendEvents, userExists } from '../domain/search/recommend-events.js';
import { SEARCH_LIMIT, searchEvents } from '../domain/search/search-events.js';
import { DomainError } from '../domain/errors.js';
import { AUTH_ERRORS, documentErrors } from '../http/error-docs.js';
import { rateLimitHook, useRateLimits } from '../http/rate-limits.js';
import { requireOwnRecommendations } from '../policy/access.js';
import { serviceKeyOrRole } from '../plugins/service-key.js';

const tags = ['Search (Veritix)'];
const SEARCHES_PER_MINUTE = 60;

const docs = {
  search: documentErrors(
    `Public. Natural-language search over upcoming events (at most ${SEARCH_LIMIT}): date phrases ("this weekend", "next Friday", ` +
      '"in December", UTC days, weeks from Monday), event types and their usual words ("concert", "play", "football"), places ' +
      '(venue names and cities) filter; the remaining words are full-text searched (PostgreSQL, English stemming, websearch ' +
      'syntax: quotes, `or`, `-word`) over event name, type, city, description and venue, ranked by relevance then date. ' +
      'No match is an empty list. `price` is the lowest price (SGD), `capacity` the number of seats. ' +
      `${SEARCHES_PER_MINUTE} searches per minute per client.`,
    [
      ['VALIDATION_ERROR', 'query missing, blank or longer than 200 characters'],
      ['RATE_LIMITED', 'Too many searches from this client'],
    ],
  ),
  recommend: documentErrors(
    'Up to three upcoming events for a user: item-to-item collaborative filtering over confirmed purchases and completed ' +
      'transfers, computed in SQL, with the most popular events filling the slots it cannot. Never a past event or one the ' +
      'user already holds. The user themself (access token) or a service key.',
    [
      ...AUTH_ERRORS,
      ['UNAUTHORIZED', 'Wrong service key'],
      ['FORBIDDEN', 'user_id is not the caller'],
      ['VALIDATION_ERROR', 'user_id is not a UUID'],
      ['USER_NOT_FOUND', 'No such user'],
    ],
  ),
};

/** Veritix search and recommendations (docs/analytics.md). */
export const searchRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  await useRateLimits(app);
  const limited = rateLimitHook(app, [{ max: SEARCHES_PER_MINUTE }]);
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

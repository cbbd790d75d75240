import { ok } from '@ticketgate/protocol';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { seatStatusVersion, seatStatuses } from '../domain/catalog/seat-statuses.js';
import { DomainError } from '../domain/errors.js';
import { SeatStatusBody, SeatStatusParams, docs } from './schemas/seat-status.js';

/** The seat map's live layer: statuses only, with an ETag (docs/api.md). */
export const seatStatusRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/events/:event_id/seat-status',
    {
      schema: {
        tags: ['Events'],
        summary: 'Live seat statuses of an event (ETag, 304 while unchanged)',
        description: docs.description,
        params: SeatStatusParams,
        response: { 200: ok(SeatStatusBody), 304: z.null().describe('Not modified: the statuses are those of your ETag'), ...docs.errors },
      },
    },
    async (req, reply) => {
      const { ctx } = app;
      const given = req.headers['if-none-match'];
      // A poll names the version it has: answer 304 from the version alone, without reading the seats.
      if (given) {
        const version = await seatStatusVersion(ctx.pool, req.params.event_id, ctx.now());
        if (version === null) throw new DomainError('EVENT_NOT_FOUND');
        if (etagMatches(given, version))
          return reply.status(304).header('etag', `"${version}"`).header('cache-control', 'no-cache').send(null);
      }
      const found = await seatStatuses(ctx.pool, req.params.event_id, ctx.now());
      if (!found) throw new DomainError('EVENT_NOT_FOUND');
      void reply.header('etag', `"${found.version}"`).header('cache-control', 'no-cache');
      return {
        success: true as const,
        data: { event_id: req.params.event_id, seat_count: found.statuses.length, statuses: found.statuses, version: found.version },
      };
    },
  );
};

/** If-None-Match against one version: a list of (possibly weak) tags. */
function etagMatches(header: string, version: string): boolean {
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === `"${version}"`);
}

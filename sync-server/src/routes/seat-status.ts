import { ok } from '@ticketgate/protocol';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { seatStatuses } from '../domain/catalog/seat-statuses.js';
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
      const found = await seatStatuses(app.ctx.pool, req.params.event_id, app.ctx.now());
      if (!found) throw new DomainError('EVENT_NOT_FOUND');
      const etag = `"${found.version}"`;
      void reply.header('etag', etag).header('cache-control', 'no-cache');
      const given = req.headers['if-none-match'];
      if (given && given.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) return reply.status(304).send(null);
      return {
        success: true as const,
        data: { event_id: req.params.event_id, seat_count: found.statuses.length, statuses: found.statuses, version: found.version },
      };
    },
  );
};

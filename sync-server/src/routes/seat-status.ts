import { ok } from '@ticketgate/protocol';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { seatStatuses } from '../domain/catalog/seat-statuses.js';
import { AppError } from '../http/app-error.js';
import { documentErrors } from '../http/error-docs.js';

const SeatStatusBody = z.object({
  event_id: z.uuid(),
  seat_count: z.number().int().describe('Seats in the map; a different count than the client holds means: reload the event'),
  statuses: z
    .string()
    .regex(/^[AHSC]*$/)
    .describe('One letter per seat, in the order GET /api/events/{event_id} lists them: A available, H held, S sold, C checked in'),
  version: z.string().describe('Also the ETag'),
});

const docs = documentErrors(
  'Public. The live status of every seat of an event as one string (about 5 KB for 5,000 seats, against about 700 KB for the full ' +
    'seat map), for a seat map kept current by polling. Send the last `ETag` as `If-None-Match`: while nothing changed the answer is ' +
    '304 with no body. Expired holds show as available, as in the seat map.',
  [
    ['INVALID_UUID', 'event_id is not a UUID'],
    ['EVENT_NOT_FOUND', 'No event with this id'],
  ],
);

/** The seat map's live layer: statuses only, with an ETag (docs/api.md). */
export const seatStatusRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/events/:event_id/seat-status',
    {
      schema: {
        tags: ['Events'],
        summary: 'Live seat statuses of an event (ETag, 304 while unchanged)',
        description: docs.description,
        params: z.object({ event_id: z.uuid() }),
        response: { 200: ok(SeatStatusBody), 304: z.null().describe('Not modified: the statuses are those of your ETag'), ...docs.errors },
      },
    },
    async (req, reply) => {
      const found = await seatStatuses(app.ctx.pool, req.params.event_id, app.ctx.now());
      if (!found) throw new AppError('EVENT_NOT_FOUND');
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

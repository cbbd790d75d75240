import { ok } from '@ticketgate/protocol';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { EVENT_CSV_HEADER, importEvents, parseEventCsv } from '../domain/catalog/event-csv.js';
import { venuesOf } from '../domain/access/venue-scope.js';
import { acceptCsv, operatorsOnly } from '../http/operator-scope.js';
import { docs } from './schemas/catalog-import.js';

/** Operator import of events from CSV (the seat import is in catalog.ts). */
export const catalogImportRoutes: FastifyPluginAsyncZod = async (app) => {
  operatorsOnly(app);
  acceptCsv(app, 4 * 1024 * 1024);

  app.post(
    '/ops/events/import',
    {
      schema: {
        tags: ['Operations'],
        summary: 'Import events from CSV',
        description: docs.description,
        security: [{ bearer: [] }],
        consumes: ['text/csv'],
        body: z
          .string()
          .describe(`${EVENT_CSV_HEADER.join(',')}\nHALL-A,Jazz Night,2027-01-15T12:00:00Z,music,,"Piano, bass and drums",CAT1=80;CAT2=40`),
        response: { 201: ok(z.object({ imported: z.number().int(), event_ids: z.array(z.uuid()) })), ...docs.errors },
      },
    },
    async (req, reply) => {
      const events = parseEventCsv(req.body, app.ctx.now());
      const ids = await importEvents(app.ctx.pool, events, await venuesOf(app.ctx.pool, req.user!));
      return reply.status(201).send({ success: true, data: { imported: ids.length, event_ids: ids } });
    },
  );
};

import { ok } from '@ticketgate/protocol';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { EVENT_CSV_HEADER, EVENTS_PER_IMPORT_MAX, importEvents, parseEventCsv } from '../domain/catalog/event-csv.js';
import { AUTH_ERRORS, documentErrors } from '../http/error-docs.js';
import { acceptCsv, operatorsOnly } from '../http/operator-scope.js';

const docs = documentErrors(
  `Operator or admin. Body \`text/csv\` with the header \`${EVENT_CSV_HEADER.join(',')}\`, one event per record (quote fields ` +
    'that hold commas). `event_date` ISO 8601 with a zone, in the future; `event_type` one of the event types (empty: other); ' +
    "`city` empty for the venue's city; `prices` like `CAT1=350.00;CAT2=200`. The venue is the hall's. Every bad record is " +
    `named by its line in \`details\`; nothing is imported unless the whole file is valid. At most ${EVENTS_PER_IMPORT_MAX} events.`,
  [
    ...AUTH_ERRORS,
    ['FORBIDDEN', 'Caller is not an operator or admin'],
    ['VALIDATION_ERROR', 'Wrong header, bad records (columns, date, type, prices), no events, too many'],
    ['HALL_NOT_FOUND', 'A record names a hall that does not exist'],
  ],
);

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
        body: z.string().describe(`${EVENT_CSV_HEADER.join(',')}\nHALL-A,Jazz Night,2027-01-15T12:00:00Z,music,,"Piano, bass and drums",CAT1=80;CAT2=40`),
        response: { 201: ok(z.object({ imported: z.number().int(), event_ids: z.array(z.uuid()) })), ...docs.errors },
      },
    },
    async (req, reply) => {
      const ids = await importEvents(app.ctx.pool, parseEventCsv(req.body, app.ctx.now()));
      return reply.status(201).send({ success: true, data: { imported: ids.length, event_ids: ids } });
    },
  );
};

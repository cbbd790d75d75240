import { MoneyAmount, ok, sync, toCents } from '@ticketgate/protocol';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { addSeats } from '../domain/catalog/add-seats.js';
import { createEvent } from '../domain/catalog/create-event.js';
import { EVENT_TYPES } from '../domain/catalog/event-types.js';
import { parseSeatCsv } from '../domain/catalog/seat-csv.js';
import { expandSeatBlocks } from '../domain/catalog/seat-layout.js';
import { CATEGORY, ROW_LABEL, SEAT_NUMBER_MAX, SEATS_PER_REQUEST_MAX } from '../domain/catalog/seat-rules.js';
import { createHall, createVenue, listVenues, type Venue } from '../domain/catalog/venues.js';
import { AUTH_ERRORS, documentErrors, type ErrorRows } from '../http/error-docs.js';
import { acceptCsv, operatorsOnly } from '../http/operator-scope.js';
import { EventInfoSchema, presentEvent } from './events.js';

const VenueSchema = z.object({
  venue_id: z.uuid(),
  name: z.string(),
  address: z.string(),
  city: z.string(),
  halls: z.array(z.object({ hall_id: z.string(), name: z.string() })),
});
const HallSchema = z.object({ hall_id: z.string(), venue_id: z.uuid(), name: z.string() });
const Name = z.string().trim().min(1).max(200);

const CreateVenueBody = z.object({
  name: Name,
  address: z.string().trim().max(500).default(''),
  city: z.string().trim().max(100).default('').describe('Searched by place (POST /api/search-events)'),
});
const CreateHallBody = z.object({ hall_id: sync.HallCode.describe('Public hall code, e.g. HALL-C'), venue_id: z.uuid(), name: Name });
const CreateEventBody = z.object({
  venue_id: z.uuid(),
  hall_id: sync.HallCode,
  name: Name,
  event_date: z.iso.datetime({ offset: true }).describe('ISO 8601 with zone, in the future'),
  description: z.string().trim().max(2000).default('').describe('Searched (full text) with the name'),
  event_type: z.enum(EVENT_TYPES).default('other'),
  city: z.string().trim().min(1).max(100).optional().describe("Default: the venue's city"),
  pricing_tiers: z
    .record(z.string().regex(CATEGORY, 'category: 1-16 of A-Z, 0-9, _ and -'), MoneyAmount.min(0).max(1_000_000))
    .refine((t) => Object.keys(t).length >= 1 && Object.keys(t).length <= 50, 'between 1 and 50 pricing tiers')
    .describe('Category → price in major units, e.g. {"CAT1": 350.00}'),
});
const SeatBlockInput = z
  .object({
    rows: z.array(z.string().regex(ROW_LABEL, 'row: 1-8 of A-Z, 0-9')).min(1).max(1000),
    seats_per_row: z.number().int().min(1).max(SEAT_NUMBER_MAX),
    category: z.string().regex(CATEGORY),
    first_seat_number: z.number().int().min(1).max(SEAT_NUMBER_MAX).optional().describe('Default 1'),
  })
  .refine((b) => (b.first_seat_number ?? 1) + b.seats_per_row - 1 <= SEAT_NUMBER_MAX, `seat numbers end at ${SEAT_NUMBER_MAX}`);
const AddSeatsBody = z
  .object({ blocks: z.array(SeatBlockInput).min(1).max(200) })
  .refine(
    (b) => b.blocks.reduce((n, x) => n + x.rows.length * x.seats_per_row, 0) <= SEATS_PER_REQUEST_MAX,
    `at most ${SEATS_PER_REQUEST_MAX} seats per request`,
  );
const SeatsAdded = z.object({ event_id: z.uuid(), inserted: z.number().int(), total_seats: z.number().int() });
const EventParams = z.object({ event_id: z.uuid() });

const presentVenue = (v: Venue): z.infer<typeof VenueSchema> => ({
  venue_id: v.id,
  name: v.name,
  address: v.address,
  city: v.city,
  halls: v.halls.map((h) => ({ hall_id: h.id, name: h.name })),
});

const security = [{ bearer: [] }];
const ACCESS: ErrorRows = [...AUTH_ERRORS, ['FORBIDDEN', 'Caller is not an operator or admin']];
const SEAT_ERRORS: ErrorRows = [
  ...ACCESS,
  ['INVALID_UUID', 'event_id is not a UUID'],
  ['EVENT_NOT_FOUND', 'No event with this id'],
  ['CONFLICT', 'Seats already exist or repeat: `details` names each (by line for imports); nothing was added'],
];
const docs = {
  venues: documentErrors('Operator or admin.', ACCESS),
  createVenue: documentErrors('Operator or admin.', [...ACCESS, ['VALIDATION_ERROR', 'Missing or too long name/address']]),
  createHall: documentErrors(
    'Operator or admin. The hall code is public and permanent (printed on tickets and inside QR codes).',
    [
      ...ACCESS,
      ['VALIDATION_ERROR', 'hall_id not 1-8 of A-Z, 0-9, -; missing name'],
      ['VENUE_NOT_FOUND', 'No venue with venue_id'],
      ['CONFLICT', 'The hall code is taken'],
    ],
  ),
  createEvent: documentErrors('Operator or admin. Seats are added afterwards, by blocks or CSV import.', [
    ...ACCESS,
    ['VALIDATION_ERROR', 'event_date not in the future, hall of another venue, no pricing tiers, a price with more than 2 decimals'],
    ['VENUE_NOT_FOUND', 'No venue with venue_id'],
    ['HALL_NOT_FOUND', 'No hall with hall_id'],
  ]),
  addSeats: documentErrors('Operator or admin. All or nothing, in one transaction with one bump of the event\'s change sequence.', [
    ...SEAT_ERRORS,
    ['VALIDATION_ERROR', 'A category that is not a pricing tier of the event, a bad row label, more than 100,000 seats'],
  ]),
  importSeats: documentErrors(
    'Operator or admin. Body `text/csv` with the header `row,seat_number,category` and one seat per line. Every line is checked ' +
      'and every bad one named by its line number in `details` (the header is line 1); nothing is imported unless the whole file is valid.',
    [
      ...SEAT_ERRORS,
      ['VALIDATION_ERROR', 'Wrong header, bad lines (columns, row label, seat number, repeated seat), categories the event does not price'],
    ],
  ),
};

/** Operator endpoints (role operator or admin): venues, halls, events and their seats. */
export const catalogRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  operatorsOnly(app);
  acceptCsv(app, 8 * 1024 * 1024);

  app.get(
    '/ops/venues',
    {
      schema: {
        tags: ['Operations'],
        summary: 'Venues with their halls',
        description: docs.venues.description,
        security,
        response: { 200: ok(z.array(VenueSchema)), ...docs.venues.errors },
      },
    },
    async () => ({ success: true as const, data: (await listVenues(ctx.pool)).map(presentVenue) }),
  );

  app.post(
    '/ops/venues',
    {
      schema: {
        tags: ['Operations'],
        summary: 'Create a venue',
        description: docs.createVenue.description,
        security,
        body: CreateVenueBody,
        response: { 201: ok(VenueSchema), ...docs.createVenue.errors },
      },
    },
    async (req, reply) => reply.status(201).send({ success: true, data: presentVenue(await createVenue(ctx.pool, req.body)) }),
  );

  app.post(
    '/ops/halls',
    {
      schema: {
        tags: ['Operations'],
        summary: 'Create a hall of a venue',
        description: docs.createHall.description,
        security,
        body: CreateHallBody,
        response: { 201: ok(HallSchema), ...docs.createHall.errors },
      },
    },
    async (req, reply) => {
      const hall = await createHall(ctx.pool, { id: req.body.hall_id, venueId: req.body.venue_id, name: req.body.name });
      return reply.status(201).send({ success: true, data: { hall_id: hall.id, venue_id: hall.venueId, name: hall.name } });
    },
  );

  app.post(
    '/ops/events',
    {
      schema: {
        tags: ['Operations'],
        summary: 'Create an event in a hall of a venue',
        description: docs.createEvent.description,
        security,
        body: CreateEventBody,
        response: { 201: ok(EventInfoSchema), ...docs.createEvent.errors },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const event = await createEvent(
        ctx.pool,
        {
          venueId: b.venue_id,
          hallId: b.hall_id,
          name: b.name,
          eventDate: new Date(b.event_date),
          description: b.description,
          eventType: b.event_type,
          ...(b.city !== undefined ? { city: b.city } : {}),
          tiersCents: Object.fromEntries(Object.entries(b.pricing_tiers).map(([c, price]) => [c, toCents(price)])),
        },
        ctx.now(),
      );
      return reply.status(201).send({ success: true, data: presentEvent(event) });
    },
  );

  app.post(
    '/ops/events/:event_id/seats',
    {
      schema: {
        tags: ['Operations'],
        summary: 'Add seats as blocks of rows × seats per row',
        description: docs.addSeats.description,
        security,
        params: EventParams,
        body: AddSeatsBody,
        response: { 201: ok(SeatsAdded), ...docs.addSeats.errors },
      },
    },
    async (req, reply) => {
      const seats = expandSeatBlocks(
        req.body.blocks.map((b) => ({
          rows: b.rows,
          seatsPerRow: b.seats_per_row,
          category: b.category,
          ...(b.first_seat_number !== undefined ? { firstSeatNumber: b.first_seat_number } : {}),
        })),
      );
      const added = await addSeats(ctx.pool, req.params.event_id, seats);
      return reply.status(201).send({ success: true, data: { event_id: req.params.event_id, inserted: added.inserted, total_seats: added.totalSeats } });
    },
  );

  app.post(
    '/ops/events/:event_id/seats/import',
    {
      schema: {
        tags: ['Operations'],
        summary: 'Import seats from CSV',
        description: docs.importSeats.description,
        security,
        consumes: ['text/csv'],
        params: EventParams,
        body: z.string().describe('row,seat_number,category\nA,1,CAT1\nA,2,CAT1'),
        response: { 201: ok(SeatsAdded), ...docs.importSeats.errors },
      },
    },
    async (req, reply) => {
      const added = await addSeats(ctx.pool, req.params.event_id, parseSeatCsv(req.body));
      return reply.status(201).send({ success: true, data: { event_id: req.params.event_id, inserted: added.inserted, total_seats: added.totalSeats } });
    },
  );
};

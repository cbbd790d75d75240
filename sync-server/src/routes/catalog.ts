import { ok, toCents } from '@ticketgate/protocol';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { addSeats } from '../domain/catalog/add-seats.js';
import { createEvent } from '../domain/catalog/create-event.js';
import { parseSeatCsv } from '../domain/catalog/seat-csv.js';
import { expandSeatBlocks } from '../domain/catalog/seat-layout.js';
import { createHall, createVenue, listVenues, type Venue } from '../domain/catalog/venues.js';
import { acceptCsv, operatorsOnly } from '../http/operator-scope.js';
import { EventInfoSchema } from './schemas/events.js';
import { presentEvent } from './events.js';
import { AddSeatsBody, CreateEventBody, CreateHallBody, CreateVenueBody, EventParams, HallSchema, SeatsAdded, VenueSchema, docs, security } from './schemas/catalog.js';

const presentVenue = (v: Venue): z.infer<typeof VenueSchema> => ({
  venue_id: v.id,
  name: v.name,
  address: v.address,
  city: v.city,
  halls: v.halls.map((h) => ({ hall_id: h.id, name: h.name })),
});

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
          admission: {
            opensAt: b.admission?.opens_at ? new Date(b.admission.opens_at) : null,
            closesAt: b.admission?.closes_at ? new Date(b.admission.closes_at) : null,
            skewSeconds: b.admission?.skew_seconds ?? null,
          },
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

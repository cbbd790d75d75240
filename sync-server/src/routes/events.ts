import { PageQuery, fromCents, ok, paginated } from '@ticketgate/protocol';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { eventWithSeats, listUpcomingEvents, type EventInfo, type SeatMapEntry } from '../domain/catalog/event-queries.js';
import { DomainError } from '../domain/errors.js';
import type { EventInfoSchema, Seat} from './schemas/events.js';
import { EventDetail, EventSummary, docs } from './schemas/events.js';

export function presentEvent(e: EventInfo): z.infer<typeof EventInfoSchema> {
  return {
    event_id: e.id,
    name: e.name,
    description: e.description,
    event_type: e.eventType,
    city: e.city,
    venue: { venue_id: e.venue.id, name: e.venue.name, address: e.venue.address },
    hall_id: e.hallId,
    event_date: e.eventDate.toISOString(),
    total_seats: e.totalSeats,
    available_seats: e.availableSeats,
    pricing_tiers: Object.fromEntries(Object.entries(e.tiersCents).map(([c, cents]) => [c, fromCents(cents)])),
  };
}

const presentSeat = (s: SeatMapEntry): z.infer<typeof Seat> => ({
  seat_id: s.id,
  row_number: s.row,
  seat_number: s.number,
  status: s.status,
  category: s.category,
  price: fromCents(s.priceCents),
});

/** Public listing of upcoming events and one event with its seat map. */
export const eventRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;

  app.get(
    '/events',
    {
      schema: {
        tags: ['Events'],
        summary: 'Upcoming events, soonest first',
        description: docs.list.description,
        querystring: PageQuery,
        response: { 200: paginated(EventSummary), ...docs.list.errors },
      },
    },
    async (req) => {
      const { page, per_page } = req.query;
      const { events, total } = await listUpcomingEvents(ctx.pool, { now: ctx.now(), limit: per_page, offset: (page - 1) * per_page });
      return {
        success: true as const,
        data: events.map(presentEvent),
        pagination: { page, per_page, total, total_pages: Math.ceil(total / per_page) },
      };
    },
  );

  app.get(
    '/events/:event_id',
    {
      schema: {
        tags: ['Events'],
        summary: 'One event with venue, pricing tiers and the full seat map',
        description: docs.one.description,
        params: z.object({ event_id: z.uuid() }),
        response: { 200: ok(EventDetail), ...docs.one.errors },
      },
      // The seat map is typed by its presenter; re-validating thousands of seats
      // against the schema on every request would cost more than the query.
      serializerCompiler: () => (data) => JSON.stringify(data),
    },
    async (req) => {
      const found = await eventWithSeats(ctx.pool, req.params.event_id, ctx.now());
      if (!found) throw new DomainError('EVENT_NOT_FOUND');
      return { success: true as const, data: { ...presentEvent(found.event), seats: found.seats.map(presentSeat) } };
    },
  );
};

import { PageQuery, fromCents, ok, paginated } from '@ticketgate/protocol';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listUpcomingEvents, type EventInfo, type SeatMapEntry } from '../domain/catalog/event-queries.js';
import type { SeatMapSnapshot } from '../domain/catalog/seat-map-snapshot.js';
import { readSeatStatusDelta } from '../domain/catalog/seat-status-delta.js';
import { negotiateCoding } from '../http/content-coding.js';
import { entityTag, noneMatchHits } from '../http/seat-map-cache.js';
import type { CompactRow, EventInfoSchema, Seat } from './schemas/events.js';
import {
  CompactEventDetail,
  DeltaQuery,
  EventDetail,
  EventSummary,
  MapQuery,
  STATUS_LETTER,
  SeatStatusDelta,
  docs,
} from './schemas/events.js';

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

/** The default answer: every seat as an object. Typed by its schema, serialised once per change (SeatMapCache). */
const renderFull = (m: SeatMapSnapshot): string =>
  JSON.stringify({
    success: true,
    data: { ...presentEvent(m.event), cursor: m.cursor, seats: m.seats.map(presentSeat) } satisfies z.infer<typeof EventDetail>,
  });

/** The compact answer: rows of parallel arrays and one status letter per seat (seats arrive in print order). */
function renderCompact(m: SeatMapSnapshot): string {
  const rows: z.infer<typeof CompactRow>[] = [];
  for (const s of m.seats) {
    let row = rows[rows.length - 1];
    if (row?.row_number !== s.row) rows.push((row = { row_number: s.row, seat_ids: [], seat_numbers: [], categories: [], status: '' }));
    row.seat_ids.push(s.id);
    row.seat_numbers.push(s.number);
    row.categories.push(s.category);
    row.status += STATUS_LETTER[s.status];
  }
  return JSON.stringify({
    success: true,
    data: { ...presentEvent(m.event), cursor: m.cursor, rows } satisfies z.infer<typeof CompactEventDetail>,
  });
}

/** Public listing of upcoming events and one event with its seat map (cached for the rush), and seat deltas for fan apps. */
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
        summary: 'One event with venue, pricing tiers and the full seat map (or the compact map)',
        description: docs.one.description,
        params: z.object({ event_id: z.uuid() }),
        querystring: MapQuery,
        response: {
          200: ok(z.union([EventDetail, CompactEventDetail])),
          304: z.null().describe('Not Modified: If-None-Match names the current map (no body)'),
          ...docs.one.errors,
        },
      },
    },
    async (req, reply) => {
      const { format } = req.query;
      const map = await ctx.seatMaps.get(req.params.event_id, format, format === 'compact' ? renderCompact : renderFull, () => ctx.now());
      const coding = negotiateCoding(req.headers['accept-encoding'], ['br', 'gzip']);
      reply
        .header('etag', entityTag(map.tag, coding))
        .header('vary', 'accept-encoding')
        .header('cache-control', 'no-cache')
        .header('x-change-cursor', String(map.cursor));
      // No body and no length: some clients (load balancers, benchmark tools) otherwise wait for the bytes a length announces.
      if (noneMatchHits(req.headers['if-none-match'], map.tag))
        return reply
          .code(304)
          .serializer(() => '')
          .send(null);
      reply.header('content-type', 'application/json; charset=utf-8');
      if (coding !== 'identity') reply.header('content-encoding', coding);
      // Already serialised (and validated by the presenters' types): sent as bytes.
      return reply.send(map.bodies[coding] as never);
    },
  );

  app.get(
    '/events/:event_id/seats',
    {
      schema: {
        tags: ['Events'],
        summary: "Seat statuses changed since a cursor (keeps a fan app's seat map current)",
        description: docs.seats.description,
        params: z.object({ event_id: z.uuid() }),
        querystring: DeltaQuery,
        response: { 200: ok(SeatStatusDelta), ...docs.seats.errors },
      },
    },
    async (req) => {
      const d = await readSeatStatusDelta(ctx.pool, req.params.event_id, req.query.since, ctx.now());
      return {
        success: true as const,
        data: {
          event_id: d.eventId,
          since: d.since,
          cursor: d.cursor,
          full: d.full,
          seats: d.seats.map((s) => ({ seat_id: s.id, status: s.status })),
        },
      };
    },
  );
};

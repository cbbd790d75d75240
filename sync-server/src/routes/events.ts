import { PageQuery, fromCents, ok, paginated, sync } from '@ticketgate/protocol';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listUpcomingEvents, type EventInfo, type SeatMapEntry } from '../domain/catalog/event-queries.js';
import type { SeatMapSnapshot } from '../domain/catalog/seat-map-snapshot.js';
import { readSeatStatusDelta } from '../domain/catalog/seat-status-delta.js';
import { negotiateCoding } from '../http/content-coding.js';
import { documentErrors } from '../http/error-docs.js';
import { entityTag, noneMatchHits } from '../http/seat-map-cache.js';

const VenueRef = z.object({ venue_id: z.uuid(), name: z.string() });
const PricingTiers = z.record(z.string(), z.number()).describe('Category → price in major units, e.g. {"CAT1": 350.00}');

/** An event as listed (spec §5). */
export const EventSummary = z.object({
  event_id: z.uuid(),
  name: z.string(),
  venue: VenueRef,
  hall_id: z.string(),
  event_date: z.string().describe('ISO 8601, UTC'),
  total_seats: z.number().int(),
  available_seats: z.number().int().describe('AVAILABLE seats, counting holds that have expired'),
  pricing_tiers: PricingTiers,
});
/** An event with its venue's address (detail, operator answers). */
export const EventInfoSchema = EventSummary.extend({ venue: VenueRef.extend({ address: z.string() }) });
const Seat = z.object({
  seat_id: z.uuid(),
  row_number: z.string(),
  seat_number: z.number().int(),
  status: sync.SeatStatus.describe('A HELD seat whose hold has expired shows as AVAILABLE'),
  category: z.string(),
  price: z.number(),
});
const EventDetail = EventInfoSchema.extend({ seats: z.array(Seat) });

/** One letter per seat status in the compact map. */
const STATUS_LETTER = { AVAILABLE: 'A', HELD: 'H', SOLD: 'S', CHECKED_IN: 'C' } as const;
const CompactRow = z.object({
  row_number: z.string(),
  seat_ids: z.array(z.uuid()),
  seat_numbers: z.array(z.number().int()),
  categories: z.array(z.string()).describe('Category of each seat; its price is in pricing_tiers'),
  status: z.string().describe('One letter per seat: A available, H held, S sold, C checked in'),
});
const CompactEventDetail = EventInfoSchema.extend({
  cursor: z.number().int().describe('Change cursor of this map: ask GET /api/events/{id}/seats?since=<cursor> for what changed since'),
  rows: z.array(CompactRow).describe('Rows as the venue prints them; the i-th letter of `status` is the i-th seat'),
});
const MapQuery = z.object({
  format: z.enum(['full', 'compact']).default('full').describe('`full`: the seat objects of the spec (default); `compact`: one status string per row'),
});
const DeltaQuery = z.object({
  since: z.coerce.number().int().min(0).default(0).describe('A cursor from a compact map or an earlier answer; 0 for every seat'),
});
const SeatStatusDelta = z.object({
  event_id: z.uuid(),
  since: z.number().int(),
  cursor: z.number().int().describe('Ask from here next time'),
  full: z.boolean().describe('true: every seat of the event is listed (since was 0, or ahead of the server)'),
  seats: z.array(z.object({ seat_id: z.uuid(), status: sync.SeatStatus })),
});

export function presentEvent(e: EventInfo): z.infer<typeof EventInfoSchema> {
  return {
    event_id: e.id,
    name: e.name,
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

/** The spec's answer: every seat as an object. Typed by its schema, serialised once per change (SeatMapCache). */
const renderFull = (m: SeatMapSnapshot): string =>
  JSON.stringify({ success: true, data: { ...presentEvent(m.event), seats: m.seats.map(presentSeat) } satisfies z.infer<typeof EventDetail> });

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
  return JSON.stringify({ success: true, data: { ...presentEvent(m.event), cursor: m.cursor, rows } satisfies z.infer<typeof CompactEventDetail> });
}

const docs = {
  list: documentErrors('Public. Paginated (`page` from 1, `per_page` 1-100, default 20); seat counts are live.', [
    ['VALIDATION_ERROR', 'page < 1, per_page outside 1-100, or not whole numbers'],
  ]),
  one: documentErrors(
    'Public. Past events are served too (their tickets are still shown). Built for the on-sale rush: each instance keeps the ' +
      'map rendered and compressed (brotli or gzip, by Accept-Encoding) until a seat of the event changes. Every answer carries a ' +
      'strong `ETag` (the same content has the same tag on every instance) and `X-Change-Cursor`; a request whose `If-None-Match` ' +
      'names the current map gets `304 Not Modified` with no body. `?format=compact` answers rows with one status letter per seat ' +
      'and the `cursor` to follow the map with GET /api/events/{event_id}/seats?since=<cursor>.',
    [
      ['INVALID_UUID', 'event_id is not a UUID'],
      ['VALIDATION_ERROR', 'format is neither full nor compact'],
      ['EVENT_NOT_FOUND', 'No event with this id'],
    ],
  ),
  seats: documentErrors(
    'Public. The seats whose status changed after `since` (a cursor from a compact map or an earlier answer), as the map shows ' +
      'them, with the cursor to ask from next time: a fan app polls this instead of reloading the map. Nothing is skipped: a ' +
      'change committed during or after a request always comes with a later answer. A hold that runs out shows once the hold ' +
      'sweeper releases it (every few seconds). `since=0`, or a cursor ahead of the server, lists every seat (`full: true`).',
    [
      ['INVALID_UUID', 'event_id is not a UUID'],
      ['VALIDATION_ERROR', 'since is not a whole number ≥ 0'],
      ['EVENT_NOT_FOUND', 'No event with this id'],
    ],
  ),
};

/** Spec §5: public listing of upcoming events and one event with its seat map. */
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
      if (noneMatchHits(req.headers['if-none-match'], map.tag)) return reply.code(304).serializer(() => '').send(null);
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
        summary: 'Seat statuses changed since a cursor (keeps a fan app\'s seat map current)',
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
        data: { event_id: d.eventId, since: d.since, cursor: d.cursor, full: d.full, seats: d.seats.map((s) => ({ seat_id: s.id, status: s.status })) },
      };
    },
  );
};

import { sync } from '@ticketgate/protocol';
import { z } from 'zod';
import { EVENT_TYPES } from '../../domain/catalog/event-types.js';
import { documentErrors } from '../../http/error-docs.js';

// Request and response schemas of routes/events.ts, with their OpenAPI descriptions and error tables.

export const VenueRef = z.object({ venue_id: z.uuid(), name: z.string() });

export const PricingTiers = z.record(z.string(), z.number()).describe('Category → price in major units, e.g. {"CAT1": 350.00}');

/** An event as listed. */
export const EventSummary = z.object({
  event_id: z.uuid(),
  name: z.string(),
  description: z.string(),
  event_type: z.enum(EVENT_TYPES),
  city: z.string(),
  venue: VenueRef,
  hall_id: z.string(),
  event_date: z.string().describe('ISO 8601, UTC'),
  total_seats: z.number().int(),
  available_seats: z.number().int().describe('AVAILABLE seats, counting holds that have expired'),
  pricing_tiers: PricingTiers,
});

/** An event with its venue's address (detail, operator answers). */
export const EventInfoSchema = EventSummary.extend({ venue: VenueRef.extend({ address: z.string() }) });

export const Seat = z.object({
  seat_id: z.uuid(),
  row_number: z.string(),
  seat_number: z.number().int(),
  status: sync.SeatStatus.describe('A HELD seat whose hold has expired shows as AVAILABLE'),
  category: z.string(),
  price: z.number(),
});

const MapCursor = z
  .number()
  .int()
  .describe('Change cursor of this map: ask GET /api/events/{id}/seats?since=<cursor> for what changed since');
export const EventDetail = EventInfoSchema.extend({ cursor: MapCursor, seats: z.array(Seat) });

/** One letter per seat status in the compact map. */
export const STATUS_LETTER = { AVAILABLE: 'A', HELD: 'H', SOLD: 'S', CHECKED_IN: 'C' } as const;
export const CompactRow = z.object({
  row_number: z.string(),
  seat_ids: z.array(z.uuid()),
  seat_numbers: z.array(z.number().int()),
  categories: z.array(z.string()).describe('Category of each seat; its price is in pricing_tiers'),
  status: z.string().describe('One letter per seat: A available, H held, S sold, C checked in'),
});
export const CompactEventDetail = EventInfoSchema.extend({
  cursor: MapCursor,
  rows: z.array(CompactRow).describe('Rows as the venue prints them; the i-th letter of `status` is the i-th seat'),
});
export const MapQuery = z.object({
  format: z
    .enum(['full', 'compact'])
    .default('full')
    .describe('`full`: every seat as an object (default); `compact`: one status string per row'),
});
export const DeltaQuery = z.object({
  since: z.coerce.number().int().min(0).default(0).describe('A cursor from a compact map or an earlier answer; 0 for every seat'),
});
export const SeatStatusDelta = z.object({
  event_id: z.uuid(),
  since: z.number().int(),
  cursor: z.number().int().describe('Ask from here next time'),
  full: z.boolean().describe('true: every seat of the event is listed (since was 0, or ahead of the server)'),
  seats: z.array(z.object({ seat_id: z.uuid(), status: sync.SeatStatus })),
});

export const docs = {
  list: documentErrors('Public. Paginated (`page` from 1, `per_page` 1-100, default 20); seat counts are live.', [
    ['VALIDATION_ERROR', 'page < 1, per_page outside 1-100, or not whole numbers'],
  ]),
  one: documentErrors(
    'Public. Past events are served too (their tickets are still shown). Built for the on-sale rush: each instance keeps the ' +
      'map rendered and compressed (brotli or gzip, by Accept-Encoding) until a seat of the event changes. Every answer carries a ' +
      'strong `ETag` (the same content has the same tag on every instance) and `X-Change-Cursor`; a request whose `If-None-Match` ' +
      'names the current map gets `304 Not Modified` with no body. `?format=compact` answers rows with one status letter per seat. ' +
      'Both formats carry the `cursor` to follow the map with GET /api/events/{event_id}/seats?since=<cursor>.',
    [
      ['INVALID_UUID', 'event_id is not a UUID'],
      ['VALIDATION_ERROR', 'format is neither full nor compact'],
      ['EVENT_NOT_FOUND', 'No event with this id'],
    ],
  ),
  seats: documentErrors(
    'Public. The seats whose status changed after `since` (a cursor from a compact map or an earlier answer), as the map shows ' +
      'them, with the cursor to ask from next time: a fan app polls this instead of reloading the map. Nothing is skipped: a ' +
      'change committed during or after a request always comes with a later answer. A hold that has run out but is not yet ' +
      'released by the sweeper is listed as AVAILABLE in every answer until it is, so a map shows the seat free the moment the ' +
      'hold ends. While nothing changed the answer is a few bytes (`seats: []`). `since=0`, or a cursor ahead of the server, ' +
      'lists every seat (`full: true`).',
    [
      ['INVALID_UUID', 'event_id is not a UUID'],
      ['VALIDATION_ERROR', 'since is not a whole number ≥ 0'],
      ['EVENT_NOT_FOUND', 'No event with this id'],
    ],
  ),
};

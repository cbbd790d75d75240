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

export const EventDetail = EventInfoSchema.extend({ seats: z.array(Seat) });

export const docs = {
  list: documentErrors('Public. Paginated (`page` from 1, `per_page` 1-100, default 20); seat counts are live.', [
    ['VALIDATION_ERROR', 'page < 1, per_page outside 1-100, or not whole numbers'],
  ]),
  one: documentErrors('Public. Past events are served too (their tickets are still shown).', [
    ['INVALID_UUID', 'event_id is not a UUID'],
    ['EVENT_NOT_FOUND', 'No event with this id'],
  ]),
};

import { z } from 'zod';
import { documentErrors } from '../../http/error-docs.js';

// Request and response schemas of routes/seat-status.ts, with their OpenAPI descriptions and error tables.

export const SeatStatusParams = z.object({ event_id: z.uuid() });

export const SeatStatusBody = z.object({
  event_id: z.uuid(),
  seat_count: z.number().int().describe('Seats in the map; a different count than the client holds means: reload the event'),
  statuses: z
    .string()
    .regex(/^[AHSC]*$/)
    .describe('One letter per seat, in the order GET /api/events/{event_id} lists them: A available, H held, S sold, C checked in'),
  version: z.string().describe('Also the ETag'),
});

export const docs = documentErrors(
  'Public. The live status of every seat of an event as one string (about 5 KB for 5,000 seats, against about 700 KB for the full ' +
    'seat map), for a seat map kept current by polling. Send the last `ETag` as `If-None-Match`: while nothing changed the answer is ' +
    '304 with no body. Expired holds show as available, as in the seat map.',
  [
    ['INVALID_UUID', 'event_id is not a UUID'],
    ['EVENT_NOT_FOUND', 'No event with this id'],
  ],
);

import { MoneyAmount, sync } from '@ticketgate/protocol';
import { z } from 'zod';
import { EVENT_TYPES } from '../../domain/catalog/event-types.js';
import { CATEGORY, ROW_LABEL, SEAT_NUMBER_MAX, SEATS_PER_REQUEST_MAX } from '../../domain/catalog/seat-rules.js';
import { AUTH_ERRORS, documentErrors, type ErrorRows } from '../../http/error-docs.js';

// Request and response schemas of routes/catalog.ts, with their OpenAPI descriptions and error tables.

export const VenueSchema = z.object({
  venue_id: z.uuid(),
  name: z.string(),
  address: z.string(),
  city: z.string(),
  halls: z.array(z.object({ hall_id: z.string(), name: z.string() })),
});

export const HallSchema = z.object({ hall_id: z.string(), venue_id: z.uuid(), name: z.string() });

export const Name = z.string().trim().min(1).max(200);

export const CreateVenueBody = z.object({
  name: Name,
  address: z.string().trim().max(500).default(''),
  city: z.string().trim().max(100).default('').describe('Searched by place (POST /api/search-events)'),
});

export const CreateHallBody = z.object({
  hall_id: sync.HallCode.describe('Public hall code, e.g. HALL-C'),
  venue_id: z.uuid(),
  name: Name,
});

export const CreateEventBody = z.object({
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
  admission: z
    .object({
      opens_at: z.iso.datetime({ offset: true }).optional().describe('Default: from the sale of each ticket'),
      closes_at: z.iso.datetime({ offset: true }).optional().describe('Default: event_date + ADMISSION_CLOSE_AFTER_HOURS (12 h)'),
      skew_seconds: z.number().int().min(0).max(86_400).optional().describe('Default ADMISSION_SKEW_SECONDS (60)'),
    })
    .refine((a) => !a.opens_at || !a.closes_at || Date.parse(a.opens_at) < Date.parse(a.closes_at), 'opens_at must be before closes_at')
    .optional()
    .describe('When gate admissions of this event count (an uploaded SUCCESS outside it is refused): docs/sync-protocol.md'),
});

export const SeatBlockInput = z
  .object({
    rows: z.array(z.string().regex(ROW_LABEL, 'row: 1-8 of A-Z, 0-9')).min(1).max(1000),
    seats_per_row: z.number().int().min(1).max(SEAT_NUMBER_MAX),
    category: z.string().regex(CATEGORY),
    first_seat_number: z.number().int().min(1).max(SEAT_NUMBER_MAX).optional().describe('Default 1'),
  })
  .refine((b) => (b.first_seat_number ?? 1) + b.seats_per_row - 1 <= SEAT_NUMBER_MAX, `seat numbers end at ${SEAT_NUMBER_MAX}`);

export const AddSeatsBody = z
  .object({ blocks: z.array(SeatBlockInput).min(1).max(200) })
  .refine(
    (b) => b.blocks.reduce((n, x) => n + x.rows.length * x.seats_per_row, 0) <= SEATS_PER_REQUEST_MAX,
    `at most ${SEATS_PER_REQUEST_MAX} seats per request`,
  );

export const SeatsAdded = z.object({ event_id: z.uuid(), inserted: z.number().int(), total_seats: z.number().int() });

export const EventParams = z.object({ event_id: z.uuid() });

export const security = [{ bearer: [] }];

export const ACCESS: ErrorRows = [...AUTH_ERRORS, ['FORBIDDEN', 'Caller is not an operator or admin']];

export const SEAT_ERRORS: ErrorRows = [
  ...ACCESS,
  ['INVALID_UUID', 'event_id is not a UUID'],
  ['EVENT_NOT_FOUND', 'No event with this id'],
  ['CONFLICT', 'Seats already exist or repeat: `details` names each (by line for imports); nothing was added'],
];

export const docs = {
  venues: documentErrors('Operator or admin.', ACCESS),
  createVenue: documentErrors('Operator or admin.', [...ACCESS, ['VALIDATION_ERROR', 'Missing or too long name/address']]),
  createHall: documentErrors('Operator or admin. The hall code is public and permanent (printed on tickets and inside QR codes).', [
    ...ACCESS,
    ['VALIDATION_ERROR', 'hall_id not 1-8 of A-Z, 0-9, -; missing name'],
    ['VENUE_NOT_FOUND', 'No venue with venue_id'],
    ['CONFLICT', 'The hall code is taken'],
  ]),
  createEvent: documentErrors('Operator or admin. Seats are added afterwards, by blocks or CSV import.', [
    ...ACCESS,
    ['VALIDATION_ERROR', 'event_date not in the future, hall of another venue, no pricing tiers, a price with more than 2 decimals'],
    ['VENUE_NOT_FOUND', 'No venue with venue_id'],
    ['HALL_NOT_FOUND', 'No hall with hall_id'],
  ]),
  addSeats: documentErrors("Operator or admin. All or nothing, in one transaction with one bump of the event's change sequence.", [
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

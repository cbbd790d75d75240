import { z } from 'zod';
import { AUTH_ERRORS, documentErrors } from '../../http/error-docs.js';

// Request and response schemas of routes/tickets.ts, with their OpenAPI descriptions and error tables.

export const Ticket = z
  .object({
    seat_id: z.uuid(),
    event: z.object({ event_id: z.uuid(), name: z.string(), event_date: z.string(), hall_id: z.string() }),
    row_number: z.string(),
    seat_number: z.number().int(),
    category: z.string(),
    status: z.enum(['SOLD', 'CHECKED_IN']),
    price_paid: z.number().nullable().describe('Major units: the order price, or the transfer price for a ticket bought from another fan'),
    purchased_at: z.string().nullable().describe('ISO 8601, UTC'),
  })
  .meta({ id: 'Ticket' });

export const SeatParams = z.object({ seat_id: z.uuid() });

export const QrQuery = z.object({
  format: z.enum(['json', 'png', 'svg']).default('json').describe('json (default): the payload; png or svg: the QR image itself'),
});

export const Qr = z.object({
  qr_payload: z.string().describe('Base32 credential text (A–Z, 2–7): encode it as the QR'),
  generated_at: z.string(),
  expires_at: z.string(),
  ttl_seconds: z.number().int(),
});

export const docs = {
  list: documentErrors("The caller's tickets (seats SOLD to them or already CHECKED_IN), by event date.", AUTH_ERRORS),
  qr: documentErrors(
    'A fresh ticket credential, valid 60 seconds (the app polls about every 50 s). Owner only, SOLD seats only. ' +
      'With `?format=png` or `?format=svg` the answer is the QR image (image/png, image/svg+xml) instead of JSON; ' +
      'the QR headers `x-qr-expires-at` and `x-qr-ttl-seconds` then carry the validity.',
    [
      ...AUTH_ERRORS,
      ['INVALID_UUID', 'seat_id is not a UUID'],
      ['VALIDATION_ERROR', 'Unknown format'],
      ['SEAT_NOT_FOUND', 'seat_id does not exist'],
      ['NOT_SEAT_OWNER', "The token's user does not own this seat"],
      ['SEAT_UNAVAILABLE', 'The seat is not SOLD: payment not completed, or the ticket was already used to enter'],
    ],
  ),
};

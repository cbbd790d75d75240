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

export const DeviceKeyBody = z
  .object({
    algorithm: z.enum(['Ed25519', 'P-256']).describe('Ed25519 where the browser has it, else ECDSA P-256'),
    public_key: z
      .string()
      .regex(/^[A-Za-z0-9_-]{43,88}$/, 'base64url without padding')
      .describe("The phone's public key as WebCrypto exports it ('raw'), base64url: 32 bytes Ed25519, 65 (or 33 compressed) P-256"),
    replace: z
      .boolean()
      .default(false)
      .describe("Move the ticket from the phone it is bound to: that phone's pass stops working (the ticket generation is bumped)"),
  })
  .strict();

export const TicketPass = z
  .object({
    pass: z.string().describe('The 198-byte pass, base64url: opaque to the phone, sealed for the gates (docs/qr-format.md)'),
    algorithm: z.enum(['Ed25519', 'P-256']),
    generation: z.number().int(),
    valid_from: z.string().describe('ISO 8601, UTC: codes made from this pass are admissible from here…'),
    valid_until: z.string().describe('…until here'),
    step_seconds: z.number().int().describe('A new code every step: Base32(pass ‖ step ‖ device signature over (pass, step))'),
    binding: z.enum(['bound', 'rebound', 'unchanged']).describe('What the call changed'),
  })
  .meta({ id: 'TicketPass' });

export const docs = {
  device: documentErrors(
    "Binds the caller's phone key to their ticket and returns the device-bound pass the phone makes rotating codes from, " +
      'offline. One phone per ticket: the same key again reissues the pass (after a key rotation, or to extend nothing); ' +
      "another key is refused with DEVICE_ALREADY_BOUND unless `replace` is true, which ends the old phone's pass. " +
      'Owner only, SOLD seats only; at most RATE_LIMIT_DEVICE_BIND_PER_HOUR calls an hour per account. Every new binding is audited.',
    [
      ...AUTH_ERRORS,
      ['INVALID_UUID', 'seat_id is not a UUID'],
      ['VALIDATION_ERROR', 'Unknown algorithm, or the public key is not a valid key of it'],
      ['SEAT_NOT_FOUND', 'seat_id does not exist'],
      ['NOT_SEAT_OWNER', "The token's user does not own this seat"],
      ['SEAT_UNAVAILABLE', 'The ticket was already used to enter'],
      ['EVENT_ENDED', "The event's admission window is over"],
      ['DEVICE_ALREADY_BOUND', 'Another phone holds this ticket; send `replace: true` to move it'],
      ['RATE_LIMITED', 'Too many bindings this hour'],
    ],
  ),
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
      ['DEVICE_ALREADY_BOUND', 'The ticket is bound to a phone, which makes its codes (POST /api/tickets/{seat_id}/device)'],
    ],
  ),
};

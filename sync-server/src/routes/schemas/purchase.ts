import { z } from 'zod';
import { AUTH_ERRORS, documentErrors } from '../../http/error-docs.js';

// Request and response schemas of routes/purchase.ts, with their OpenAPI descriptions and error tables.

export const ReserveBody = z.object({
  seat_id: z.uuid(),
  user_id: z.uuid().optional().describe("Optional; must be the token's user (nobody reserves for another user)"),
});

export const Reserved = z.object({
  order_id: z.uuid(),
  seat_id: z.uuid(),
  status: z.literal('HELD'),
  held_until: z.string().describe('ISO 8601, UTC'),
  ttl_seconds: z.number().int().describe('Seconds left on the hold'),
  message: z.string(),
});

export const PayBody = z.object({ order_id: z.uuid() });

export const Paid = z.object({
  order_id: z.uuid(),
  seat_id: z.uuid(),
  status: z.literal('CONFIRMED'),
  credits_charged: z.number().describe('Major units (350.00)'),
  remaining_balance: z.number().describe('Spendable credits left, major units'),
  message: z.string(),
});

export const docs = {
  reserve: documentErrors(
    'Holds a seat for the configured hold time (5 minutes by default) and opens a PENDING order. The seat row is locked with ' +
      'NOWAIT: a competing reservation in progress answers SEAT_UNAVAILABLE at once. Reserving a seat you already hold returns ' +
      'the same order. Unpaid holds are released by a background sweeper (the order becomes EXPIRED). One account holds at most ' +
      'MAX_HOLDS_PER_USER seats (8 by default) of one event at once; reserve requests are limited to RATE_LIMIT_RESERVE_PER_MINUTE ' +
      '(60) a minute per account.',
    [
      ...AUTH_ERRORS,
      ['VALIDATION_ERROR', 'Body failed validation (seat_id / user_id must be UUIDs)'],
      ['FORBIDDEN', "user_id is not the token's user (no role reserves for another user)"],
      ['USER_NOT_FOUND', 'The user does not exist (any more)'],
      ['HOLD_LIMIT_REACHED', 'The account already holds MAX_HOLDS_PER_USER unpaid seats of this event: pay for one or let one go'],
      ['RATE_LIMITED', 'More than RATE_LIMIT_RESERVE_PER_MINUTE reserve requests from this account in a minute'],
      ['SEAT_NOT_FOUND', 'seat_id does not exist'],
      ['EVENT_ENDED', 'The event has already taken place'],
      ['SEAT_ALREADY_SOLD', 'Seat status is SOLD or CHECKED_IN'],
      ['SEAT_UNAVAILABLE', 'Seat is held by another user, or another reservation of it is in progress (lock not available)'],
    ],
  ),
  pay: documentErrors(
    "Confirms a held seat in one transaction: the order's price is debited from the user's spendable credits (ledger kind " +
      'PURCHASE), the seat becomes SOLD to the user and the order CONFIRMED. A flagged (high-risk) user first receives an OTP by ' +
      'SMS and must pass /api/verify-otp (context purchase, reference_id = order_id) before paying again.',
    [
      ...AUTH_ERRORS,
      ['VALIDATION_ERROR', 'Body failed validation (order_id must be a UUID)'],
      ['ORDER_NOT_FOUND', 'order_id does not exist'],
      ['FORBIDDEN', 'The order belongs to another user (admins excepted)'],
      ['ORDER_ALREADY_CONFIRMED', 'Payment already processed'],
      ['HOLD_EXPIRED', 'The hold ran out: the seat is released (now, if the sweeper had not yet) and the order EXPIRED; reserve again'],
      ['SEAT_NOT_HELD', 'The seat is not held for this order (the order was cancelled or failed OTP verification)'],
      ['OTP_REQUIRED', 'Flagged user without a verified OTP for this order: a code was just sent (see GET /api/ops/outbox in the demo)'],
      ['RATE_LIMITED', 'Too many OTP codes sent to this user in the last minute'],
      ['INSUFFICIENT_CREDITS', 'Spendable credits < price: top up through POST /api/credits/topup'],
    ],
  ),
};

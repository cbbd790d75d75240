import { MoneyAmount } from '@ticketgate/protocol';
import { z } from 'zod';
import { TRANSFER_STATUSES } from '../../domain/transfers/transfer-record.js';
import { AUTH_ERRORS, documentErrors, type ErrorRows } from '../../http/error-docs.js';

// Request and response schemas of routes/transfers.ts, with their OpenAPI descriptions and error tables.

export const Otp = z.string().regex(/^\d{6}$/, 'must be the 6-digit code from the SMS');

export const Credits = z.number().describe('Credits in major units (350.00)');

export const Timestamp = z.string().describe('ISO 8601, UTC');

export const Status = z.enum(TRANSFER_STATUSES);

export const InitiateBody = z.object({
  seat_id: z.uuid(),
  seller_user_id: z.uuid().describe('Current owner of the ticket'),
  buyer_user_id: z.uuid(),
  credits_amount: MoneyAmount.min(0).max(1_000_000).describe('Price the buyer pays the seller, in major units; 0 for a gift'),
});

export const ConfirmBody = z.object({
  transfer_id: z.uuid(),
  seller_otp: Otp.optional().describe("The seller's code; omit once the seller verified it through /api/verify-otp"),
  buyer_otp: Otp.optional().describe("The buyer's code; omit once the buyer verified it through /api/verify-otp"),
});

export const DisputeBody = z.object({ transfer_id: z.uuid(), reason: z.string().trim().min(1).max(1000) });

export const TransferIdBody = z.object({ transfer_id: z.uuid() });

export const ResolveBody = z.object({
  transfer_id: z.uuid(),
  resolution: z.literal('UPHELD').describe('The transfer stands; frozen credits are released (use /api/transfer/reverse to undo it)'),
});

export const Cancelled = z.object({ transfer_id: z.uuid(), status: Status, closed_reason: z.string(), message: z.string() });

export const Initiated = z.object({ transfer_id: z.uuid(), seat_id: z.uuid(), status: Status, expires_at: Timestamp, message: z.string() });

export const Confirmed = z.object({
  transfer_id: z.uuid(),
  status: Status,
  seat_id: z.uuid(),
  new_owner_user_id: z.uuid(),
  credits_transferred: Credits,
  message: z.string(),
});

export const Disputed = z.object({
  transfer_id: z.uuid(),
  status: Status,
  frozen_credits: Credits.describe("Credits frozen in the seller's balance: the price, or what was left of it unspent"),
  message: z.string(),
});

export const Reversed = z.object({
  transfer_id: z.uuid(),
  status: Status,
  seat_id: z.uuid(),
  restored_owner_user_id: z.uuid(),
  credits_returned: Credits,
  message: z.string(),
});

export const Resolved = z.object({
  transfer_id: z.uuid(),
  status: Status,
  resolution: z.literal('UPHELD'),
  released_credits: Credits,
  message: z.string(),
});

export const Transfer = z
  .object({
    transfer_id: z.uuid(),
    status: Status,
    seat_id: z.uuid(),
    event_id: z.uuid(),
    event_name: z.string(),
    row_number: z.string(),
    seat_number: z.number().int(),
    seller_user_id: z.uuid(),
    buyer_user_id: z.uuid(),
    initiated_by: z.uuid(),
    credits_amount: Credits,
    seller_verified: z.boolean(),
    buyer_verified: z.boolean(),
    expires_at: Timestamp,
    created_at: Timestamp,
    completed_at: Timestamp.nullable(),
    closed_reason: z
      .string()
      .nullable()
      .describe(
        'Why a FAILED/CANCELLED transfer ended: OTP_MAX_RETRIES, OTP_EXPIRED, EXPIRED, SEAT_CHANGED, SELLER_CANCELLED, TOO_MANY_ATTEMPTS, SMS_FAILED (the codes could not be texted)',
      ),
    dispute: z.object({ reason: z.string(), disputed_by: z.uuid(), disputed_at: Timestamp, frozen_credits: Credits }).nullable(),
    resolution: z.enum(['REVERSED', 'UPHELD']).nullable(),
    resolved_by: z.uuid().nullable(),
    resolved_at: Timestamp.nullable(),
    credits_returned: Credits.nullable().describe('REVERSED only: credits given back to the buyer'),
  })
  .meta({ id: 'Transfer' });

export const NOT_FOUND: ErrorRows = [['TRANSFER_NOT_FOUND', 'transfer_id does not exist']];

export const OTP_ROWS: ErrorRows = [
  ['OTP_INVALID', 'Seller or buyer OTP does not match (the message says whose, and the attempts left)'],
  ['OTP_EXPIRED', 'A code is older than 5 minutes: the transfer is cancelled, initiate it again'],
  ['OTP_MAX_RETRIES', "A party's third wrong code, or the transfer's TRANSFER_MAX_CONFIRM_FAILURES-th: the transfer becomes FAILED"],
  ['OTP_REQUIRED', 'A party has neither given its code here nor verified it through /api/verify-otp'],
];

export const docs = {
  initiate: documentErrors(
    "Either party starts a P2P transfer of a sold ticket (the token's user must be the seller or the buyer named in the body). " +
      'Both parties receive an OTP by SMS; the transfer expires (CANCELLED) if not confirmed within TRANSFER_TTL_SECONDS (15 minutes by default), ' +
      'and the seller may cancel it earlier (POST /api/transfer/cancel).',
    [
      ...AUTH_ERRORS,
      ['VALIDATION_ERROR', 'Body failed validation (UUIDs, amount ≥ 0 with at most 2 decimals)'],
      ['FORBIDDEN', "The token's user is neither seller_user_id nor buyer_user_id"],
      ['SELF_TRANSFER', 'seller_user_id == buyer_user_id'],
      ['SEAT_NOT_FOUND', 'seat_id does not exist'],
      ['USER_NOT_FOUND', 'Seller or buyer does not exist'],
      ['SEAT_UNAVAILABLE', 'Seat is not SOLD (held, available or already checked in)'],
      ['NOT_SEAT_OWNER', 'seat.owner_user_id != seller_user_id'],
      ['EVENT_ENDED', 'The event has already taken place'],
      ['TRANSFER_IN_PROGRESS', 'A PENDING_OTP transfer already exists for this seat'],
      ['INSUFFICIENT_CREDITS', "Buyer's spendable credits < credits_amount"],
      ['RATE_LIMITED', 'Too many codes sent to one of the parties in the last minute'],
    ],
  ),
  confirm: documentErrors(
    'Seller or buyer completes the transfer with both OTPs (or after each party verified through /api/verify-otp with context transfer). ' +
      "One transaction moves the buyer's credits to the seller, gives the ticket to the buyer and bumps its generation: the seller's QR codes stop verifying. " +
      'Wrong codes are limited per transfer (TRANSFER_MAX_CONFIRM_FAILURES, 3 by default, across both parties: then the transfer FAILS with ' +
      'TOO_MANY_ATTEMPTS) and per account (RATE_LIMIT_AUTH_PER_MINUTE a minute and RATE_LIMIT_AUTH_PER_HOUR an hour, then 429 with Retry-After).',
    [
      ...AUTH_ERRORS,
      ['VALIDATION_ERROR', 'Body failed validation (codes are 6 digits)'],
      ...NOT_FOUND,
      ['FORBIDDEN', 'Caller is neither seller nor buyer'],
      ...OTP_ROWS,
      ['TRANSFER_INVALID_STATE', 'Transfer is not PENDING_OTP (completed, failed, cancelled) or has expired (it is cancelled)'],
      ['SEAT_UNAVAILABLE', 'The seller no longer holds the ticket (checked in): the transfer is cancelled'],
      ['INSUFFICIENT_CREDITS', 'The buyer no longer has enough spendable credits (the transfer stays pending)'],
      ['RATE_LIMITED', 'Too many wrong codes from this account (Retry-After says how long), or too many requests from this address'],
    ],
  ),
  cancel: documentErrors(
    'The seller withdraws a pending transfer: it becomes CANCELLED (closed_reason SELLER_CANCELLED), both codes stop working and the ' +
      'seat may be transferred again at once. Only the seller may cancel, whoever initiated it.',
    [
      ...AUTH_ERRORS,
      ['VALIDATION_ERROR', 'transfer_id is not a UUID'],
      ...NOT_FOUND,
      ['FORBIDDEN', 'The caller is not the seller of this transfer'],
      ['TRANSFER_INVALID_STATE', 'The transfer is not PENDING_OTP any more'],
    ],
  ),
  dispute: documentErrors(
    "Seller or buyer flags a COMPLETED transfer. The credits the seller received are frozen in the seller's balance " +
      '(as much of them as is still unspent) until an admin reverses or upholds the transfer.',
    [
      ...AUTH_ERRORS,
      ['VALIDATION_ERROR', 'Body failed validation (reason 1–1000 characters)'],
      ...NOT_FOUND,
      ['FORBIDDEN', 'Caller is neither seller nor buyer'],
      ['TRANSFER_INVALID_STATE', 'Transfer is not COMPLETED, or its dispute was already resolved'],
    ],
  ),
  reverse: documentErrors(
    'Admin only. DISPUTED → REVERSED: the ticket goes back to the seller (new generation), the frozen credits are released and the price ' +
      '(or as much as the seller can still pay) goes back to the buyer. A pending onward transfer of the seat is cancelled.',
    [
      ...AUTH_ERRORS,
      ['VALIDATION_ERROR', 'Body failed validation'],
      ['FORBIDDEN', 'Caller is not an admin'],
      ...NOT_FOUND,
      ['TRANSFER_INVALID_STATE', 'Transfer is not DISPUTED'],
      ['SEAT_UNAVAILABLE', 'The buyer no longer holds the seat (checked in or changed hands since)'],
    ],
  ),
  resolve: documentErrors(
    'Admin only. DISPUTED → COMPLETED with resolution UPHELD: the transfer stands, the frozen credits are released.',
    [
      ...AUTH_ERRORS,
      ['VALIDATION_ERROR', 'Body failed validation'],
      ['FORBIDDEN', 'Caller is not an admin'],
      ...NOT_FOUND,
      ['TRANSFER_INVALID_STATE', 'Transfer is not DISPUTED'],
    ],
  ),
  mine: documentErrors("The caller's transfers as seller or buyer, newest first.", [
    ...AUTH_ERRORS,
    ['VALIDATION_ERROR', 'Bad query (page ≥ 1, 1 ≤ per_page ≤ 100, known status/role)'],
  ]),
  one: documentErrors('One transfer, for its seller, its buyer or an admin.', [
    ...AUTH_ERRORS,
    ['INVALID_UUID', 'transfer_id is not a UUID'],
    ['FORBIDDEN', 'Caller is neither party nor admin'],
    ...NOT_FOUND,
  ]),
  all: documentErrors('Admin only. Every transfer, newest first, optionally by status, seat or user (as either party).', [
    ...AUTH_ERRORS,
    ['VALIDATION_ERROR', 'Bad query'],
    ['FORBIDDEN', 'Caller is not an admin'],
  ]),
};

import type { ErrorCode } from '@ticketgate/protocol/error-codes';
import { ApiError } from './api-client.js';

/**
 * What a fan is told for every error code of the API, in plain words with the
 * next step. A Record over ErrorCode: a new code does not compile until it has
 * its sentence here. The server's own message is added where it is more
 * specific (attempts left, which field failed).
 */
const TEXT: Record<ErrorCode | 'NETWORK', string> = {
  NETWORK: 'No connection to TicketGate. Check your network and try again.',
  UNAUTHORIZED: 'Please log in again.',
  TOKEN_EXPIRED: 'Your session ran out. Please log in again.',
  FORBIDDEN: 'Your account is not allowed to do this.',
  VALIDATION_ERROR: 'Some details are missing or not in the right form.',
  INVALID_UUID: 'That link is broken: the id in it is not valid.',
  NOT_FOUND: 'That page or item does not exist.',
  RATE_LIMITED: 'Too many tries in a short time. Wait a minute, then try again.',
  INTERNAL_ERROR: 'Something went wrong on our side. Please try again; if it keeps happening, contact support.',
  SERVICE_UNAVAILABLE: 'The service is busy or a payment partner cannot be reached. Try again in a moment.',
  SEAT_NOT_FOUND: 'This seat no longer exists. Choose another one.',
  SEAT_UNAVAILABLE: 'Someone else is holding this seat right now. Choose another one.',
  SEAT_ALREADY_SOLD: 'This seat has just been sold. Choose another one.',
  HOLD_LIMIT_REACHED: 'You already hold as many seats for this event as one account may. Pay for one or let a hold run out first.',
  SEAT_NOT_HELD: 'This seat is no longer held for you. Choose it again to reserve it.',
  HOLD_EXPIRED: 'Your hold ran out and the seat was released. Choose it again if it is still free.',
  INSUFFICIENT_CREDITS: 'You do not have enough credits. Top up your credits, then pay again.',
  ORDER_NOT_FOUND: 'This order does not exist any more. Choose your seat again.',
  ORDER_ALREADY_CONFIRMED: 'This order is already paid: your ticket is in My tickets.',
  OTP_REQUIRED: 'We sent a 6-digit code to your phone. Enter it to continue.',
  OTP_INVALID: 'That code is not right.',
  OTP_EXPIRED: 'That code has expired. Ask for a new one.',
  OTP_MAX_RETRIES: 'Too many wrong codes: this step was cancelled. Start again.',
  TRANSFER_NOT_FOUND: 'This transfer does not exist.',
  TRANSFER_INVALID_STATE: 'This transfer is no longer waiting for codes (it was completed, cancelled or expired).',
  TRANSFER_IN_PROGRESS: 'A transfer of this ticket is already waiting for codes.',
  NOT_SEAT_OWNER: 'This ticket is not yours (any more).',
  SELF_TRANSFER: 'You cannot transfer a ticket to yourself.',
  USER_NOT_FOUND: 'No TicketGate account has exactly this email address.',
  EVENT_NOT_FOUND: 'This event does not exist.',
  EVENT_ENDED: 'This event has already taken place.',
  QR_EXPIRED: 'This code has expired. Your ticket shows a fresh one.',
  QR_INVALID: 'This is not a valid TicketGate code.',
  DUPLICATE_ENTRY: 'This ticket has already been used to enter.',
  WRONG_HALL: 'This ticket is for another hall.',
  UNPAID_SEAT: 'This seat has not been paid for.',
  EMAIL_ALREADY_EXISTS: 'An account with this email exists already. Log in instead.',
  VENUE_NOT_FOUND: 'This venue does not exist.',
  HALL_NOT_FOUND: 'This hall does not exist.',
  CONFLICT: 'This changed while you were looking at it. Reload and try again.',
  DEVICE_REVOKED: 'This device has been switched off by an operator.',
  ENROLMENT_INVALID: 'This enrolment code is not valid, used or expired.',
  DEVICE_ALREADY_BOUND: 'This ticket is on another phone. Move it to this phone to show it here.',
  MODEL_NOT_READY: 'This prediction is not available yet: the model has not been trained.',
  FLAG_NOT_FOUND: 'That fraud flag does not exist.',
  REPORT_NOT_FOUND: 'That report does not exist or has been removed.',
};

/** Codes whose server message carries specifics worth showing (attempts left, the failing field, wait time). */
const SPECIFIC: ReadonlySet<string> = new Set(['VALIDATION_ERROR', 'OTP_INVALID', 'RATE_LIMITED', 'FORBIDDEN', 'INSUFFICIENT_CREDITS']);

export function errorText(err: unknown): string {
  if (!(err instanceof ApiError)) return TEXT.INTERNAL_ERROR;
  const base = TEXT[err.code] ?? TEXT.INTERNAL_ERROR;
  if (err.code === 'VALIDATION_ERROR' && err.details.length) {
    return `${base} ${err.details.map((d) => `${fieldName(d.field)}: ${d.message}.`).join(' ')}`;
  }
  return SPECIFIC.has(err.code) && err.message && err.message !== base ? `${base} (${err.message})` : base;
}

/** `body.phone` → `Phone`. */
function fieldName(field: string): string {
  const last = field.split('.').pop() ?? field;
  return last.charAt(0).toUpperCase() + last.slice(1).replaceAll('_', ' ');
}

/** Every code with its text (docs and tests list them). */
export const ERROR_TEXTS: Readonly<Record<string, string>> = TEXT;

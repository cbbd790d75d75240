// The API's error codes, with their HTTP status and the
// default message a client may show. One table, so server and clients agree.
export const ERROR_CODES = {
  UNAUTHORIZED: { status: 401, message: 'Missing or invalid token.' },
  TOKEN_EXPIRED: { status: 401, message: 'Access token has expired. Refresh required.' },
  FORBIDDEN: { status: 403, message: 'You do not have permission to do this.' },
  VALIDATION_ERROR: { status: 400, message: 'Request failed validation.' },
  INVALID_UUID: { status: 400, message: 'A UUID parameter is malformed.' },
  NOT_FOUND: { status: 404, message: 'Route not found.' },
  RATE_LIMITED: { status: 429, message: 'Too many requests. Try again later.' },
  INTERNAL_ERROR: { status: 500, message: 'Unexpected server error.' },
  SERVICE_UNAVAILABLE: { status: 503, message: 'A downstream service is unreachable. Retry.' },

  SEAT_NOT_FOUND: { status: 404, message: 'Seat does not exist.' },
  SEAT_UNAVAILABLE: { status: 409, message: 'This seat is currently held by another user. Please select a different seat.' },
  SEAT_ALREADY_SOLD: { status: 409, message: 'This seat has already been purchased.' },
  SEAT_NOT_HELD: { status: 409, message: 'Seat is not held (the hold may have expired).' },
  HOLD_EXPIRED: { status: 410, message: 'Your 5-minute hold has expired and the seat was released. Please reserve again.' },
  INSUFFICIENT_CREDITS: { status: 402, message: 'Not enough credits. Top up to continue.' },
  ORDER_NOT_FOUND: { status: 404, message: 'Order does not exist.' },
  ORDER_ALREADY_CONFIRMED: { status: 409, message: 'Order has already been confirmed.' },
  OTP_REQUIRED: { status: 428, message: 'OTP verification required before payment.' },
  OTP_INVALID: { status: 401, message: 'OTP code is incorrect.' },
  OTP_EXPIRED: { status: 410, message: 'OTP code has expired. Request a new one.' },
  OTP_MAX_RETRIES: { status: 429, message: 'Maximum OTP attempts exceeded. The flow was cancelled.' },
  TRANSFER_NOT_FOUND: { status: 404, message: 'Transfer does not exist.' },
  TRANSFER_INVALID_STATE: { status: 409, message: 'Transfer is not in the expected state.' },
  TRANSFER_IN_PROGRESS: { status: 409, message: 'A pending transfer already exists for this seat.' },
  NOT_SEAT_OWNER: { status: 403, message: 'You do not own this seat.' },
  SELF_TRANSFER: { status: 400, message: 'Cannot transfer a ticket to yourself.' },
  USER_NOT_FOUND: { status: 404, message: 'User does not exist.' },
  EVENT_NOT_FOUND: { status: 404, message: 'Event does not exist.' },
  EVENT_ENDED: { status: 410, message: 'Event has already passed.' },
  QR_EXPIRED: { status: 410, message: 'QR code is older than 60 seconds.' },
  QR_INVALID: { status: 400, message: 'QR payload failed decryption or integrity check.' },
  DUPLICATE_ENTRY: { status: 409, message: 'Ticket has already been scanned.' },
  WRONG_HALL: { status: 400, message: 'QR hall does not match the event hall.' },
  UNPAID_SEAT: { status: 402, message: 'Seat payment is not complete.' },
  EMAIL_ALREADY_EXISTS: { status: 409, message: 'Email is already registered.' },

  // TicketGate additions (documented in docs/api.md): resources the seed did not name.
  VENUE_NOT_FOUND: { status: 404, message: 'Venue does not exist.' },
  HALL_NOT_FOUND: { status: 404, message: 'Hall does not exist.' },
  CONFLICT: { status: 409, message: 'The resource already exists or changed concurrently.' },
  DEVICE_REVOKED: { status: 403, message: 'This gate device has been revoked.' },
  ENROLMENT_INVALID: { status: 401, message: 'Enrolment code is invalid, used or expired.' },
  DEVICE_ALREADY_BOUND: { status: 409, message: 'This ticket is bound to another phone. Move it explicitly to bind this one.' },
  // Veritix services (docs/analytics.md).
  MODEL_NOT_READY: { status: 503, message: 'Model not ready' },
  FLAG_NOT_FOUND: { status: 404, message: 'Fraud flag does not exist.' },
  REPORT_NOT_FOUND: { status: 404, message: 'Report does not exist.' },
  HOLD_LIMIT_REACHED: {
    status: 409,
    message: 'You already hold the most seats one account may hold for this event. Pay for or release one first.',
  },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export function statusOf(code: ErrorCode): number {
  return ERROR_CODES[code].status;
}

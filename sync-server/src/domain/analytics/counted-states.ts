import type { ScanResult } from '@ticketgate/protocol';

/**
 * Which rows the Veritix figures count, in one place so every endpoint and the
 * daily report agree. DUPLICATE is not an invalid attempt: the ticket was real
 * and was turned away because it had already been admitted.
 */
export const INVALID_SCAN_RESULTS = ['QR_INVALID', 'NOT_FOUND', 'EXPIRED', 'WRONG_HALL', 'UNPAID'] as const satisfies readonly ScanResult[];

/** Transfers that happened (ownership moved), whatever became of them afterwards. */
export const COUNTED_TRANSFER_STATUSES = ['COMPLETED', 'DISPUTED', 'REVERSED'] as const;

/** Seats that have been sold. */
export const SOLD_SEAT_STATUSES = ['SOLD', 'CHECKED_IN'] as const;

import type { ErrorCode } from '@ticketgate/protocol';
import { DomainError } from '../errors.js';

/** What the seats table accepts (0001_initial.sql), checked up front so errors name the input. */
export const ROW_LABEL = /^[A-Z0-9]{1,8}$/;
export const CATEGORY = /^[A-Z0-9_-]{1,16}$/;
export const SEAT_NUMBER_MAX = 100_000;
/** The largest seat list one request may create (a 100,000-seat event in one go). */
export const SEATS_PER_REQUEST_MAX = 100_000;

export interface LineError {
  /** Line in an imported file; absent for seats given as blocks. */
  line?: number | undefined;
  message: string;
}

const DETAILS_MAX = 100;

/** One error naming every bad line (the first 100 in `details`), so a whole file can be fixed at once. */
export function lineErrors(errors: LineError[], summary: string, code: ErrorCode = 'VALIDATION_ERROR'): DomainError {
  const shown = errors.slice(0, DETAILS_MAX);
  const first = shown.slice(0, 5).map((e) => (e.line ? `line ${e.line}: ${e.message}` : e.message));
  const more = errors.length > first.length ? ` (and ${errors.length - first.length} more)` : '';
  return new DomainError(
    code,
    `${summary}: ${first.join('; ')}${more}.`,
    shown.map((e) => ({ field: e.line ? `line ${e.line}` : 'seats', message: e.message })),
  );
}

import { ERROR_CODES, type ErrorCode } from '@ticketgate/protocol';

/**
 * A failure the client is meant to see, named by one of the protocol's error
 * codes. Domain code throws it without knowing about HTTP; the error handler
 * plugin turns it into the envelope and picks the status from the code.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly details?: { field: string; message: string }[],
  ) {
    super(message ?? ERROR_CODES[code].message);
    this.name = 'DomainError';
  }
}

import { ERROR_CODES, type ErrorCode } from '@ticketgate/protocol';

/** A failure the client is meant to see: code and status from the protocol's error-code table. */
export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly details?: { field: string; message: string }[],
  ) {
    super(message ?? ERROR_CODES[code].message);
    this.status = ERROR_CODES[code].status;
  }
}

export const fail = (code: ErrorCode, message?: string): never => {
  throw new AppError(code, message);
};

import { ERROR_CODES, ErrorEnvelope, type ErrorCode } from '@ticketgate/protocol';

/**
 * Response schemas for the error codes a route can answer, one per HTTP status,
 * each described by its codes, so /docs lists what a client must handle. The
 * error handler sends these bodies; declaring them also keeps them in shape.
 */
export function errorResponses(...codes: ErrorCode[]): Record<number, typeof ErrorEnvelope> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of new Set(codes)) {
    const status = ERROR_CODES[code].status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return Object.fromEntries(
    [...byStatus].map(([status, list]) => [status, ErrorEnvelope.describe(list.map((c) => `${c}: ${ERROR_CODES[c].message}`).join(' | '))]),
  );
}

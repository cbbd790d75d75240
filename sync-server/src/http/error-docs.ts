import { ERROR_CODES, type ErrorCode } from '@ticketgate/protocol';
import { errorResponses } from './error-responses.js';

/**
 * A route's failures as one table of (code, when): rendered into the route's
 * OpenAPI description, so /docs says in which situation each code comes, and
 * turned into the per-status `response` schemas (errorResponses).
 */
export type ErrorRows = ReadonlyArray<readonly [ErrorCode, string]>;

export function errorTable(rows: ErrorRows): string {
  const lines = rows.map(([code, when]) => `| \`${code}\` | ${ERROR_CODES[code].status} | ${when} |`);
  return ['| Error code | HTTP | When |', '|---|---|---|', ...lines].join('\n');
}

/** `description` and error `response` entries for a route schema, from one table. */
export function documentErrors(intro: string, rows: ErrorRows): { description: string; errors: ReturnType<typeof errorResponses> } {
  return { description: `${intro}\n\n${errorTable(rows)}`, errors: errorResponses(...rows.map(([code]) => code)) };
}

/** The failures every authenticated route shares. */
export const AUTH_ERRORS: ErrorRows = [
  ['UNAUTHORIZED', 'Missing, invalid or logged-out access token'],
  ['TOKEN_EXPIRED', 'Access token expired: refresh it'],
];

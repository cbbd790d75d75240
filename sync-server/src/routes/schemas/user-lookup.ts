import { z } from 'zod';
import { AUTH_ERRORS, documentErrors } from '../../http/error-docs.js';

// Request and response schemas of routes/user-lookup.ts, with their OpenAPI descriptions and error tables.

/** Lookups a signed-in user may make a minute: enough to fix a typo or two, too few to walk an address list. */
export const USER_LOOKUPS_PER_MINUTE = 10;

export const LookupBody = z.object({ email: z.email('must be a valid email address').max(254) });

export const FoundUser = z.object({
  user_id: z.uuid().describe('Pass it as buyer_user_id (or seller_user_id) to POST /api/transfer/initiate'),
  name: z.string().describe('Display name, so the seller can check they found the right person'),
});

export const docs = documentErrors(
  'Finds the account with exactly this email (case-insensitive), so a seller can start a transfer to a buyer they know by email. ' +
    'A near miss answers exactly as an unknown address does. The email travels in the body, not the URL, to stay out of access logs. ' +
    `Limited to ${USER_LOOKUPS_PER_MINUTE} lookups a minute per user (and the server's per-address limit).`,
  [
    ...AUTH_ERRORS,
    ['VALIDATION_ERROR', 'email missing or not an email address'],
    ['USER_NOT_FOUND', 'No account has exactly this email'],
    ['RATE_LIMITED', 'Too many lookups in the last minute'],
  ],
);

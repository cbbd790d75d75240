import { z } from 'zod';
import { AUTH_ERRORS, documentErrors, type ErrorRows } from '../../http/error-docs.js';

// Request and response schemas of routes/fraud.ts, with their OpenAPI descriptions and error tables.

export const tags = ['Fraud (Veritix)'];
export const security: Record<string, string[]>[] = [{ bearer: [] }, { serviceKey: [] }];
export const ACCESS: ErrorRows = [...AUTH_ERRORS, ['UNAUTHORIZED', 'Wrong service key'], ['FORBIDDEN', 'Token of a role below operator']];
export const OPERATOR: ErrorRows = [...AUTH_ERRORS, ['FORBIDDEN', 'Token of a role below operator']];
export const feature = z.number().finite().min(0).optional();
export const TicketEvent = z
  .object({
    ticket_id: z.string().max(128).optional(),
    user_id: z.string().max(128).optional(),
    tickets_per_txn: feature,
    txns_per_min: feature,
    avg_price_ratio: feature,
    account_age_days: feature,
    zip_mismatch: feature,
    device_changes: feature,
  })
  .meta({ id: 'VeritixTicketEvent' });
export const Flag = z
  .object({
    id: z.uuid(),
    rule: z.string(),
    subject: z.string(),
    user_id: z.uuid().nullable().describe('The account a confirmation marks as flagged'),
    details: z.record(z.string(), z.unknown()),
    status: z.enum(['OPEN', 'CONFIRMED', 'DISMISSED']),
    detected_at: z.string(),
    decided_by: z.uuid().nullable(),
    decided_at: z.string().nullable(),
  })
  .meta({ id: 'FraudFlag' });
export const docs = {
  check: documentErrors(
    'Operator or service key. Evaluates the Veritix feature objects against stateless rules and names the rules any of them ' +
      'triggers (nothing is stored): high_volume_purchase (8+ tickets per transaction), new_account_bulk_buy (account under 7 ' +
      'days, 4+ tickets), rapid_fire_purchases (more than 10 per minute), device_hopping (more than 5 device changes), ' +
      'resale_price_gouging (3 times the face value or more).',
    [...ACCESS, ['VALIDATION_ERROR', 'events missing, more than 1,000, or a feature not a number of 0 or more']],
  ),
  list: documentErrors(
    'Operator or service key. Flags raised by the live rules (background job over purchases, transfers and scans), newest first. ' +
      'An operator sees the flags of their venues: those naming an event or ticket there, and account-level flags of accounts ' +
      'that bought there; admins and the service key see all.',
    [...ACCESS, ['VALIDATION_ERROR', 'Unknown status or limit outside 1-500']],
  ),
  decide: documentErrors(
    'Operator. `confirm` marks the account flagged (its payments then need an OTP); `dismiss` closes the flag. Decided once, ' +
      'and by an operator only for a flag of their venues (as listed).',
    [
      ...OPERATOR,
      ['FORBIDDEN', 'The flag concerns no venue of the operator'],
      ['INVALID_UUID', 'flag id is not a UUID'],
      ['FLAG_NOT_FOUND', 'No such flag'],
      ['CONFLICT', 'Already decided'],
    ],
  ),
  run: documentErrors(
    'Operator. Runs the live rules now (the job also runs every FRAUD_JOB_INTERVAL_MS) and counts the new flags per rule.',
    OPERATOR,
  ),
};

import { MoneyAmount } from '@ticketgate/protocol';
import { z } from 'zod';
import { STAKEHOLDERS } from '../../domain/analytics/revenue-share.js';
import { AUTH_ERRORS, documentErrors, type ErrorRows } from '../../http/error-docs.js';

// Request and response schemas of routes/analytics.ts, with their OpenAPI descriptions and error tables.

export const ACCESS_ERRORS: ErrorRows = [
  ...AUTH_ERRORS,
  ['UNAUTHORIZED', 'X-Service-Key presented but wrong, or service keys are not enabled'],
  ['FORBIDDEN', 'Token of a role below operator'],
];

export const ACCESS_NOTE =
  "Access: an operator (or admin) access token, or `X-Service-Key` with the server's SERVICE_API_KEY. " +
  'TicketGate does not expose business data anonymously. ';

export const NOT_ENVELOPED = 'The 200 body has the Veritix shape (no `{success, data}` envelope); errors use the TicketGate envelope. ';

export const security: Record<string, string[]>[] = [{ bearer: [] }, { serviceKey: [] }];

export const tags = ['Analytics (Veritix)'];

export const EventStatsSchema = z
  .object({
    event_id: z.uuid(),
    scan_count: z.number().int().describe('Admissions: canonical SUCCESS scans, at most one per seat'),
    transfer_count: z.number().int().describe('Transfers COMPLETED, DISPUTED or REVERSED'),
    invalid_attempt_count: z.number().int().describe('Scans rejected as QR_INVALID, NOT_FOUND, EXPIRED, WRONG_HALL or UNPAID'),
    conflict_count: z
      .number()
      .int()
      .describe('TicketGate extra: double admissions (a seat admitted by two gates that could not see each other)'),
  })
  .meta({ id: 'VeritixEventStats' });

export const RecentQuery = z.object({
  event_id: z.uuid(),
  limit: z.coerce.number().int().min(1).max(1000).default(50),
});

export const recentDocs = (what: string) =>
  documentErrors(`${ACCESS_NOTE}${NOT_ENVELOPED}${what} Newest first; \`limit\` 1-1000, default 50.`, [
    ...ACCESS_ERRORS,
    ['VALIDATION_ERROR', 'event_id missing or not a UUID, or limit outside 1-1000'],
    ['EVENT_NOT_FOUND', 'No event with this id'],
  ]);

export const EventRevenueInput = z
  .object({
    event_id: z.string().min(1).max(128),
    total_sales: MoneyAmount.refine((v) => v > 0, 'total_sales must be positive').refine((v) => v <= 1e11, 'total_sales is too large'),
    ticket_count: z.number().int().min(0, 'ticket_count must not be negative'),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'an ISO 4217 code like SGD')
      .default('SGD'),
    additional_fees: z
      .record(
        z.string().min(1).max(64),
        MoneyAmount.refine((v) => v >= 0 && v <= 1e11, 'fees must be 0 or more'),
      )
      .default({}),
  })
  .meta({ id: 'EventRevenueInput' });

export type EventRevenueInput = z.infer<typeof EventRevenueInput>;

export const RevenueResult = z
  .object({
    event_id: z.string(),
    currency: z.string().describe('TicketGate extra: the currency of every amount'),
    total_paid_out: z.number().describe('Sum of the distributions: always total_sales exactly'),
    additional_fees_total: z.number().describe('TicketGate extra: the sum of additional_fees, reported, not split'),
    distributions: z.array(z.object({ stakeholder: z.enum(STAKEHOLDERS), amount: z.number(), percentage: z.number() })),
  })
  .meta({ id: 'RevenueCalculationResult' });

export const ReportFormat = z.enum(['csv', 'json']);

export const ReportEventLine = z.object({
  event_id: z.uuid().nullable().describe('null: invalid scans of unreadable tickets'),
  event_name: z.string().nullable(),
  tickets_sold: z.number().int(),
  revenue: z.number(),
  transfers: z.number().int(),
  invalid_scans: z.number().int(),
});

export const ReportSummary = z.object({
  total_sales: z.number().int().describe('Orders confirmed that UTC day'),
  total_revenue: z.number().describe('Their sum, SGD major units'),
  total_transfers: z.number().int().describe('Transfers completed that day (incl. later disputed/reversed)'),
  invalid_scans: z.number().int(),
});

export const ReportJson = z.object({
  report_date: z.string(),
  currency: z.literal('SGD'),
  summary: ReportSummary,
  events: z.array(ReportEventLine),
});

export const docs = {
  stats: documentErrors(
    `${ACCESS_NOTE}${NOT_ENVELOPED}With \`event_id\`: that event's object; without: an array of every event, soonest first.`,
    [...ACCESS_ERRORS, ['VALIDATION_ERROR', 'event_id is not a UUID'], ['EVENT_NOT_FOUND', 'No event with this id']],
  ),
  scans: recentDocs('Scans of the event, every verdict: `ticket_id` is the seat id, `is_valid` true only for the canonical admission.'),
  transfers: recentDocs("Transfers of the event's seats that completed (including later disputed or reversed ones); users by id."),
  invalid: recentDocs(
    'Rejected scans (QR_INVALID, NOT_FOUND, EXPIRED, WRONG_HALL, UNPAID); `reason` is the verdict, `detail` what was recorded.',
  ),
  summary: documentErrors(
    `${ACCESS_NOTE}${NOT_ENVELOPED}Platform-wide totals, cached 60 s per server instance. Revenue is in SGD (\`total_revenue_sgd\` ` +
      'replaces the Veritix XLM/USD pair); `last_etl_at` is always null: the figures are read from the live tables, there is no ETL.',
    ACCESS_ERRORS,
  ),
  revenue: documentErrors(
    `${ACCESS_NOTE}${NOT_ENVELOPED}Splits total_sales between organizer, platform and charity by REVENUE_SHARE_SPLIT (default 85/10/5), ` +
      'in integer cents with the largest-remainder method, so the amounts add up to total_sales exactly. `additional_fees` are ' +
      'validated and reported in `additional_fees_total`, not split. `currency` defaults to SGD.',
    [
      ...ACCESS_ERRORS,
      ['VALIDATION_ERROR', 'total_sales not positive or with more than 2 decimals, ticket_count negative, bad currency or fees'],
    ],
  ),
  batch: documentErrors(
    `${ACCESS_NOTE}${NOT_ENVELOPED}As the single calculation for up to 1,000 events. Items that fail validation are skipped, as in ` +
      'Veritix; their positions (from 0) are listed in the `X-Skipped-Items` response header.',
    [...ACCESS_ERRORS, ['VALIDATION_ERROR', 'Body is not an array of at most 1,000 objects']],
  ),
  config: documentErrors(`${ACCESS_NOTE}${NOT_ENVELOPED}The configured split (REVENUE_SHARE_SPLIT).`, ACCESS_ERRORS),
  report: documentErrors(
    `${ACCESS_NOTE}One UTC day (default today): orders confirmed, their revenue, transfers completed and invalid scans, per event ` +
      'and in total. The report is stored in PostgreSQL (server instances keep nothing on local disk) and `report_path` is its URL ' +
      '(GET /api/reports/{id}); it is also returned inline in `report` (CSV text or a JSON object).',
    [...ACCESS_ERRORS, ['VALIDATION_ERROR', 'target_date not a YYYY-MM-DD date, or output_format not csv/json']],
  ),
};

import { MoneyAmount, fromCents, toCents } from '@ticketgate/protocol';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { dailyReport, dailyReportCsv, type DailyEventLine, type DailyReport } from '../domain/analytics/daily-report.js';
import { eventStats, type EventStats } from '../domain/analytics/event-stats.js';
import { centsToDecimalString } from '../domain/analytics/money-text.js';
import { platformSummary } from '../domain/analytics/platform-summary.js';
import { invalidAttempts, recentScans, recentTransfers } from '../domain/analytics/recent-activity.js';
import { STAKEHOLDERS, parseSplit, splitCents } from '../domain/analytics/revenue-share.js';
import { ttlCache } from '../domain/analytics/ttl-cache.js';
import { AUTH_ERRORS, documentErrors, type ErrorRows } from '../http/error-docs.js';
import { serviceKeyOrRole } from '../plugins/service-key.js';
import { chatRoutes } from './chat.js';

const SUMMARY_TTL_MS = 60_000;

const ACCESS_ERRORS: ErrorRows = [
  ...AUTH_ERRORS,
  ['UNAUTHORIZED', 'X-Service-Key presented but wrong, or service keys are not enabled'],
  ['FORBIDDEN', 'Token of a role below operator'],
];
const ACCESS_NOTE =
  'Access: an operator (or admin) access token, or `X-Service-Key` with the server\'s SERVICE_API_KEY. ' +
  'TicketGate does not expose business data anonymously. ';
const NOT_ENVELOPED = 'The 200 body has the Veritix shape (no `{success, data}` envelope); errors use the TicketGate envelope. ';
const security: Record<string, string[]>[] = [{ bearer: [] }, { serviceKey: [] }];
const tags = ['Analytics (Veritix)'];

const EventStatsSchema = z
  .object({
    event_id: z.uuid(),
    scan_count: z.number().int().describe('Admissions: canonical SUCCESS scans, at most one per seat'),
    transfer_count: z.number().int().describe('Transfers COMPLETED, DISPUTED or REVERSED'),
    invalid_attempt_count: z.number().int().describe('Scans rejected as QR_INVALID, NOT_FOUND, EXPIRED, WRONG_HALL or UNPAID'),
    conflict_count: z.number().int().describe('TicketGate extra: double admissions (a seat admitted by two gates that could not see each other)'),
  })
  .meta({ id: 'VeritixEventStats' });

const presentStats = (s: EventStats): z.infer<typeof EventStatsSchema> => ({
  event_id: s.eventId,
  scan_count: s.scanCount,
  transfer_count: s.transferCount,
  invalid_attempt_count: s.invalidAttemptCount,
  conflict_count: s.conflictCount,
});

const RecentQuery = z.object({
  event_id: z.uuid(),
  limit: z.coerce.number().int().min(1).max(1000).default(50),
});

const recentDocs = (what: string) =>
  documentErrors(`${ACCESS_NOTE}${NOT_ENVELOPED}${what} Newest first; \`limit\` 1-1000, default 50.`, [
    ...ACCESS_ERRORS,
    ['VALIDATION_ERROR', 'event_id missing or not a UUID, or limit outside 1-1000'],
    ['EVENT_NOT_FOUND', 'No event with this id'],
  ]);

const EventRevenueInput = z
  .object({
    event_id: z.string().min(1).max(128),
    total_sales: MoneyAmount.refine((v) => v > 0, 'total_sales must be positive').refine((v) => v <= 1e11, 'total_sales is too large'),
    ticket_count: z.number().int().min(0, 'ticket_count must not be negative'),
    currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code like SGD').default('SGD'),
    additional_fees: z.record(z.string().min(1).max(64), MoneyAmount.refine((v) => v >= 0 && v <= 1e11, 'fees must be 0 or more')).default({}),
  })
  .meta({ id: 'EventRevenueInput' });
type EventRevenueInput = z.infer<typeof EventRevenueInput>;

const RevenueResult = z
  .object({
    event_id: z.string(),
    currency: z.string().describe('TicketGate extra: the currency of every amount'),
    total_paid_out: z.number().describe('Sum of the distributions: always total_sales exactly'),
    additional_fees_total: z.number().describe('TicketGate extra: the sum of additional_fees, reported, not split'),
    distributions: z.array(z.object({ stakeholder: z.enum(STAKEHOLDERS), amount: z.number(), percentage: z.number() })),
  })
  .meta({ id: 'RevenueCalculationResult' });

const ReportFormat = z.enum(['csv', 'json']);
const ReportEventLine = z.object({
  event_id: z.uuid().nullable().describe('null: invalid scans of unreadable tickets'),
  event_name: z.string().nullable(),
  tickets_sold: z.number().int(),
  revenue: z.number(),
  transfers: z.number().int(),
  invalid_scans: z.number().int(),
});
const ReportSummary = z.object({
  total_sales: z.number().int().describe('Orders confirmed that UTC day'),
  total_revenue: z.number().describe('Their sum, SGD major units'),
  total_transfers: z.number().int().describe('Transfers completed that day (incl. later disputed/reversed)'),
  invalid_scans: z.number().int(),
});
const ReportJson = z.object({ report_date: z.string(), currency: z.literal('SGD'), summary: ReportSummary, events: z.array(ReportEventLine) });

const presentTotals = (t: Omit<DailyEventLine, 'eventId' | 'eventName'>): z.infer<typeof ReportSummary> => ({
  total_sales: t.sales,
  total_revenue: fromCents(t.revenueCents),
  total_transfers: t.transfers,
  invalid_scans: t.invalidScans,
});
const presentReportJson = (r: DailyReport): z.infer<typeof ReportJson> => ({
  report_date: r.date,
  currency: 'SGD',
  summary: presentTotals(r.totals),
  events: r.events.map((e) => ({
    event_id: e.eventId,
    event_name: e.eventName,
    tickets_sold: e.sales,
    revenue: fromCents(e.revenueCents),
    transfers: e.transfers,
    invalid_scans: e.invalidScans,
  })),
});

const docs = {
  stats: documentErrors(
    `${ACCESS_NOTE}${NOT_ENVELOPED}With \`event_id\`: that event's object; without: an array of every event, soonest first.`,
    [...ACCESS_ERRORS, ['VALIDATION_ERROR', 'event_id is not a UUID'], ['EVENT_NOT_FOUND', 'No event with this id']],
  ),
  scans: recentDocs('Scans of the event, every verdict: `ticket_id` is the seat id, `is_valid` true only for the canonical admission.'),
  transfers: recentDocs('Transfers of the event\'s seats that completed (including later disputed or reversed ones); users by id.'),
  invalid: recentDocs('Rejected scans (QR_INVALID, NOT_FOUND, EXPIRED, WRONG_HALL, UNPAID); `reason` is the verdict, `detail` what was recorded.'),
  summary: documentErrors(
    `${ACCESS_NOTE}${NOT_ENVELOPED}Platform-wide totals, cached 60 s per server instance. Revenue is in SGD (\`total_revenue_sgd\` ` +
      'replaces the Veritix XLM/USD pair); `last_etl_at` is always null: the figures are read from the live tables, there is no ETL.',
    ACCESS_ERRORS,
  ),
  revenue: documentErrors(
    `${ACCESS_NOTE}${NOT_ENVELOPED}Splits total_sales between organizer, platform and charity by REVENUE_SHARE_SPLIT (default 85/10/5), ` +
      'in integer cents with the largest-remainder method, so the amounts add up to total_sales exactly. `additional_fees` are ' +
      'validated and reported in `additional_fees_total`, not split. `currency` defaults to SGD.',
    [...ACCESS_ERRORS, ['VALIDATION_ERROR', 'total_sales not positive or with more than 2 decimals, ticket_count negative, bad currency or fees']],
  ),
  batch: documentErrors(
    `${ACCESS_NOTE}${NOT_ENVELOPED}As the single calculation for up to 1,000 events. Items that fail validation are skipped, as in ` +
      'Veritix; their positions (from 0) are listed in the `X-Skipped-Items` response header.',
    [...ACCESS_ERRORS, ['VALIDATION_ERROR', 'Body is not an array of at most 1,000 objects']],
  ),
  config: documentErrors(`${ACCESS_NOTE}${NOT_ENVELOPED}The configured split (REVENUE_SHARE_SPLIT).`, ACCESS_ERRORS),
  report: documentErrors(
    `${ACCESS_NOTE}One UTC day (default today): orders confirmed, their revenue, transfers completed and invalid scans, per event ` +
      'and in total. The report is returned inline in `report` (CSV text or a JSON object) instead of a `report_path` on the server: ' +
      'server instances keep nothing on local disk.',
    [...ACCESS_ERRORS, ['VALIDATION_ERROR', 'target_date not a YYYY-MM-DD date, or output_format not csv/json']],
  ),
};

/** The Veritix analytics API (docs/analytics.md) under /api; chat is registered from here too. */
export const analyticsRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  const guard = serviceKeyOrRole(app, 'operator');
  const split = parseSplit(ctx.config.REVENUE_SHARE_SPLIT);
  const summary = ttlCache(SUMMARY_TTL_MS, () => ctx.now(), async () => ({
    figures: await platformSummary(ctx.pool),
    generatedAt: new Date(ctx.now()).toISOString(),
  }));

  app.get(
    '/stats',
    {
      preHandler: guard,
      schema: {
        tags,
        security,
        summary: 'Scan, transfer and invalid-attempt counts per event',
        description: docs.stats.description,
        querystring: z.object({ event_id: z.uuid().optional() }),
        response: { 200: z.union([EventStatsSchema, z.array(EventStatsSchema)]), ...docs.stats.errors },
      },
    },
    async (req) => {
      const stats = (await eventStats(ctx.pool, req.query.event_id)).map(presentStats);
      return req.query.event_id ? stats[0]! : stats;
    },
  );

  app.get(
    '/stats/scans',
    {
      preHandler: guard,
      schema: {
        tags,
        security,
        summary: 'Recent scans of an event',
        description: docs.scans.description,
        querystring: RecentQuery,
        response: {
          200: z.object({
            event_id: z.uuid(),
            scans: z.array(
              z.object({
                ticket_id: z.uuid().nullable().describe('Seat id; null when the ticket could not be matched to a seat'),
                scanned_at: z.string(),
                is_valid: z.boolean(),
                result: z.string().describe('TicketGate extra: the verdict (SUCCESS, DUPLICATE, QR_INVALID, ...)'),
                is_conflict: z.boolean().describe('TicketGate extra: a double admission'),
              }),
            ),
            count: z.number().int(),
          }),
          ...docs.scans.errors,
        },
      },
    },
    async (req) => {
      const scans = await recentScans(ctx.pool, req.query.event_id, req.query.limit);
      return {
        event_id: req.query.event_id,
        scans: scans.map((s) => ({ ticket_id: s.seatId, scanned_at: s.scannedAt.toISOString(), is_valid: s.isValid, result: s.result, is_conflict: s.isConflict })),
        count: scans.length,
      };
    },
  );

  app.get(
    '/stats/transfers',
    {
      preHandler: guard,
      schema: {
        tags,
        security,
        summary: 'Recent transfers of an event',
        description: docs.transfers.description,
        querystring: RecentQuery,
        response: {
          200: z.object({
            event_id: z.uuid(),
            transfers: z.array(
              z.object({
                ticket_id: z.uuid(),
                from_user: z.uuid(),
                to_user: z.uuid(),
                transferred_at: z.string(),
                status: z.string().describe('TicketGate extra: COMPLETED, DISPUTED or REVERSED'),
              }),
            ),
            count: z.number().int(),
          }),
          ...docs.transfers.errors,
        },
      },
    },
    async (req) => {
      const transfers = await recentTransfers(ctx.pool, req.query.event_id, req.query.limit);
      return {
        event_id: req.query.event_id,
        transfers: transfers.map((t) => ({
          ticket_id: t.seatId,
          from_user: t.fromUser,
          to_user: t.toUser,
          transferred_at: t.transferredAt.toISOString(),
          status: t.status,
        })),
        count: transfers.length,
      };
    },
  );

  app.get(
    '/stats/invalid-attempts',
    {
      preHandler: guard,
      schema: {
        tags,
        security,
        summary: 'Recent invalid scan attempts of an event',
        description: docs.invalid.description,
        querystring: RecentQuery,
        response: {
          200: z.object({
            event_id: z.uuid(),
            attempts: z.array(
              z.object({
                ticket_id: z.uuid().nullable(),
                attempted_at: z.string(),
                reason: z.string().describe('The verdict: QR_INVALID, NOT_FOUND, EXPIRED, WRONG_HALL or UNPAID'),
                detail: z.string().nullable().describe('TicketGate extra: what the verifier recorded'),
              }),
            ),
            count: z.number().int(),
          }),
          ...docs.invalid.errors,
        },
      },
    },
    async (req) => {
      const attempts = await invalidAttempts(ctx.pool, req.query.event_id, req.query.limit);
      return {
        event_id: req.query.event_id,
        attempts: attempts.map((a) => ({ ticket_id: a.seatId, attempted_at: a.attemptedAt.toISOString(), reason: a.result, detail: a.reason })),
        count: attempts.length,
      };
    },
  );

  app.get(
    '/analytics/summary',
    {
      preHandler: guard,
      schema: {
        tags,
        security,
        summary: 'Platform-wide totals (cached 60 s)',
        description: docs.summary.description,
        response: {
          200: z.object({
            total_events: z.number().int(),
            total_tickets_sold: z.number().int().describe('Seats SOLD or CHECKED_IN'),
            total_revenue_sgd: z.string().describe('Sum of confirmed orders, e.g. "96000.00"'),
            last_etl_at: z.null().describe('Always null: no ETL, figures are live'),
            generated_at: z.string(),
          }),
          ...docs.summary.errors,
        },
      },
    },
    async () => {
      const { figures, generatedAt } = await summary();
      return {
        total_events: figures.totalEvents,
        total_tickets_sold: figures.totalTicketsSold,
        total_revenue_sgd: centsToDecimalString(figures.totalRevenueCents),
        last_etl_at: null,
        generated_at: generatedAt,
      };
    },
  );

  const calculate = (input: EventRevenueInput): z.infer<typeof RevenueResult> => {
    const totalCents = toCents(input.total_sales);
    const parts = splitCents(totalCents, split);
    return {
      event_id: input.event_id,
      currency: input.currency,
      total_paid_out: fromCents(parts.reduce((sum, p) => sum + p.cents, 0)),
      additional_fees_total: fromCents(Object.values(input.additional_fees).reduce((sum, fee) => sum + toCents(fee), 0)),
      distributions: parts.map((p) => ({ stakeholder: p.stakeholder, amount: fromCents(p.cents), percentage: p.basisPoints / 100 })),
    };
  };

  app.post(
    '/calculate-revenue-share',
    {
      preHandler: guard,
      schema: {
        tags,
        security,
        summary: 'Revenue split of one event',
        description: docs.revenue.description,
        body: EventRevenueInput,
        response: { 200: RevenueResult, ...docs.revenue.errors },
      },
    },
    async (req) => calculate(req.body),
  );

  app.post(
    '/calculate-revenue-share/batch',
    {
      preHandler: guard,
      schema: {
        tags,
        security,
        summary: 'Revenue split of many events',
        description: docs.batch.description,
        body: z.array(z.record(z.string(), z.unknown()).describe('An EventRevenueInput')).max(1000),
        response: { 200: z.array(RevenueResult), ...docs.batch.errors },
      },
    },
    async (req, reply) => {
      const skipped: number[] = [];
      const results = req.body.flatMap((item, i) => {
        const parsed = EventRevenueInput.safeParse(item);
        if (!parsed.success) skipped.push(i);
        return parsed.success ? [calculate(parsed.data)] : [];
      });
      if (skipped.length) void reply.header('x-skipped-items', skipped.join(','));
      return results;
    },
  );

  app.get(
    '/revenue-share/config',
    {
      preHandler: guard,
      schema: {
        tags,
        security,
        summary: 'The revenue split in force',
        description: docs.config.description,
        response: {
          200: z.object({ organizer_percentage: z.number(), platform_percentage: z.number(), charity_percentage: z.number() }),
          ...docs.config.errors,
        },
      },
    },
    async () => ({
      organizer_percentage: split.organizer / 100,
      platform_percentage: split.platform / 100,
      charity_percentage: split.charity / 100,
    }),
  );

  app.get(
    '/revenue-share/example',
    {
      schema: {
        tags,
        summary: 'An example EventRevenueInput',
        description: 'Public: a fixed example payload, no business data.',
        response: { 200: EventRevenueInput },
      },
    },
    async () => ({ event_id: 'event_123', total_sales: 10000, ticket_count: 100, currency: 'SGD', additional_fees: { service_fee: 50 } }),
  );

  app.post(
    '/generate-daily-report',
    {
      preHandler: guard,
      schema: {
        tags,
        security,
        summary: 'Daily sales report (CSV or JSON, inline)',
        description: docs.report.description,
        // Every field is optional, so a POST without a body is a request for today's CSV.
        body: z.preprocess(
          (b) => b ?? {},
          z.object({
            target_date: z.iso.date().optional().describe('YYYY-MM-DD (UTC day); default today'),
            output_format: ReportFormat.default('csv'),
          }),
        ),
        response: {
          200: z.object({
            success: z.literal(true),
            report_date: z.string(),
            output_format: ReportFormat,
            summary: ReportSummary,
            report: z.union([z.string().describe('CSV (RFC 4180)'), ReportJson]),
            message: z.string(),
          }),
          ...docs.report.errors,
        },
      },
    },
    async (req) => {
      const date = req.body.target_date ?? new Date(ctx.now()).toISOString().slice(0, 10);
      const report = await dailyReport(ctx.pool, date);
      const format = req.body.output_format;
      return {
        success: true as const,
        report_date: date,
        output_format: format,
        summary: presentTotals(report.totals),
        report: format === 'csv' ? dailyReportCsv(report) : presentReportJson(report),
        message: `Report for ${date} generated (${format}, returned inline).`,
      };
    },
  );

  await app.register(chatRoutes);
};

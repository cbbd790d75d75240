import { fromCents, toCents } from '@ticketgate/protocol';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { dailyReport, dailyReportCsv, type DailyEventLine, type DailyReport } from '../domain/analytics/daily-report.js';
import { eventStats, type EventStats } from '../domain/analytics/event-stats.js';
import { centsToDecimalString } from '../domain/analytics/money-text.js';
import { platformSummary } from '../domain/analytics/platform-summary.js';
import { invalidAttempts, recentScans, recentTransfers } from '../domain/analytics/recent-activity.js';
import { parseSplit, splitCents } from '../domain/analytics/revenue-share.js';
import { storeReport } from '../domain/analytics/stored-reports.js';
import { ttlCache } from '../domain/analytics/ttl-cache.js';
import { requireEventInScope, venuesOf } from '../domain/access/venue-scope.js';
import { serviceKeyOrRole } from '../plugins/service-key.js';
import type { Actor } from '../policy/access.js';
import { ALL_VENUES, venueFilter, type VenueScope } from '../policy/venues.js';
import {
  EventRevenueInput,
  EventStatsSchema,
  RecentQuery,
  ReportFormat,
  ReportJson,
  ReportSummary,
  RevenueResult,
  docs,
  security,
  tags,
} from './schemas/analytics.js';

const SUMMARY_TTL_MS = 60_000;

const presentStats = (s: EventStats): z.infer<typeof EventStatsSchema> => ({
  event_id: s.eventId,
  scan_count: s.scanCount,
  transfer_count: s.transferCount,
  invalid_attempt_count: s.invalidAttemptCount,
  conflict_count: s.conflictCount,
});

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

/** The Veritix analytics API (docs/analytics.md) under /api (chat is its own module, chat.ts). */
export const analyticsRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  const guard = serviceKeyOrRole(app, 'operator');
  const split = parseSplit(ctx.config.REVENUE_SHARE_SPLIT);
  const summary = ttlCache(
    SUMMARY_TTL_MS,
    () => ctx.now(),
    async () => ({
      figures: await platformSummary(ctx.pool, null),
      generatedAt: new Date(ctx.now()).toISOString(),
    }),
  );
  // A back-office service (the key, no user) sees every venue; an operator their own; an admin all.
  const scopeOf = (user: Actor | undefined): Promise<VenueScope> => (user ? venuesOf(ctx.pool, user) : Promise.resolve(ALL_VENUES));
  const eventInScope = async (user: Actor | undefined, eventId: string) => requireEventInScope(ctx.pool, await scopeOf(user), eventId);

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
      const scope = await scopeOf(req.user);
      if (req.query.event_id) await requireEventInScope(ctx.pool, scope, req.query.event_id);
      const stats = (await eventStats(ctx.pool, req.query.event_id, venueFilter(scope))).map(presentStats);
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
      await eventInScope(req.user, req.query.event_id);
      const scans = await recentScans(ctx.pool, req.query.event_id, req.query.limit);
      return {
        event_id: req.query.event_id,
        scans: scans.map((s) => ({
          ticket_id: s.seatId,
          scanned_at: s.scannedAt.toISOString(),
          is_valid: s.isValid,
          result: s.result,
          is_conflict: s.isConflict,
        })),
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
      await eventInScope(req.user, req.query.event_id);
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
      await eventInScope(req.user, req.query.event_id);
      const attempts = await invalidAttempts(ctx.pool, req.query.event_id, req.query.limit);
      return {
        event_id: req.query.event_id,
        attempts: attempts.map((a) => ({
          ticket_id: a.seatId,
          attempted_at: a.attemptedAt.toISOString(),
          reason: a.result,
          detail: a.reason,
        })),
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
    async (req) => {
      const venueIds = venueFilter(await scopeOf(req.user));
      // Only the unscoped figures are shared (and cached); an operator's are their venues' own, computed live.
      const { figures, generatedAt } = venueIds
        ? { figures: await platformSummary(ctx.pool, venueIds), generatedAt: new Date(ctx.now()).toISOString() }
        : await summary();
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
        summary: 'Daily sales report (CSV or JSON), stored and inline',
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
            report_path: z.string().describe('URL of the stored report: GET it (operator or service key)'),
            report_id: z.uuid().describe('TicketGate extra'),
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
      const venueIds = venueFilter(await scopeOf(req.user));
      const report = await dailyReport(ctx.pool, date, venueIds);
      const format = req.body.output_format;
      const inline = format === 'csv' ? dailyReportCsv(report) : presentReportJson(report);
      const id = await storeReport(ctx.pool, {
        reportDate: date,
        format,
        content: typeof inline === 'string' ? inline : JSON.stringify(inline),
        at: new Date(ctx.now()),
        venueIds,
      });
      const path = `/api/reports/${id}`;
      return {
        success: true as const,
        report_path: path,
        report_id: id,
        report_date: date,
        output_format: format,
        summary: presentTotals(report.totals),
        report: inline,
        message: `Report for ${date} generated (${format}) at ${path}; also returned inline.`,
      };
    },
  );
};

import type { Queryable } from '../../db/pool.js';
import { COUNTED_TRANSFER_STATUSES, INVALID_SCAN_RESULTS } from './counted-states.js';
import { centsToDecimalString } from './money-text.js';

export interface DailyEventLine {
  eventId: string | null;
  eventName: string | null;
  sales: number;
  revenueCents: number;
  transfers: number;
  invalidScans: number;
}

export interface DailyReport {
  /** YYYY-MM-DD, a UTC day. */
  date: string;
  totals: Omit<DailyEventLine, 'eventId' | 'eventName'>;
  /** Events with any activity that day; invalid scans no event could be read from form a line with eventId null. */
  events: DailyEventLine[];
}

/**
 * What happened on one UTC day: confirmed orders (by confirmation time) and
 * their revenue, transfers completed, invalid scans; per event and in total.
 * `venueIds` limits it to those venues' events (an operator's report; an
 * unreadable scan belongs to no venue, so only the unscoped report counts it).
 */
export async function dailyReport(db: Queryable, date: string, venueIds: string[] | null): Promise<DailyReport> {
  const from = new Date(`${date}T00:00:00.000Z`);
  const to = new Date(from.getTime() + 24 * 3600 * 1000);
  const { rows } = await db.query<{
    event_id: string | null;
    name: string | null;
    sales: number;
    revenue: number;
    transfers: number;
    invalid: number;
  }>(
    `WITH activity AS (
       SELECT event_id, 1 AS sales, amount_cents AS revenue, 0 AS transfers, 0 AS invalid
         FROM orders WHERE status = 'CONFIRMED' AND confirmed_at >= $1 AND confirmed_at < $2
       UNION ALL
       SELECT s.event_id, 0, 0, 1, 0
         FROM transfers t JOIN seats s ON s.id = t.seat_id
        WHERE t.status = ANY($3::text[]) AND t.completed_at >= $1 AND t.completed_at < $2
       UNION ALL
       SELECT event_id, 0, 0, 0, 1
         FROM scans WHERE result = ANY($4::text[]) AND scanned_at >= $1 AND scanned_at < $2
     )
     SELECT a.event_id, e.name, sum(a.sales)::int AS sales, sum(a.revenue)::bigint AS revenue,
            sum(a.transfers)::int AS transfers, sum(a.invalid)::int AS invalid
       FROM activity a LEFT JOIN events e ON e.id = a.event_id
      WHERE $5::uuid[] IS NULL OR e.venue_id = ANY ($5::uuid[])
      GROUP BY a.event_id, e.name, e.event_date
      ORDER BY e.event_date NULLS LAST, a.event_id`,
    [from, to, COUNTED_TRANSFER_STATUSES, INVALID_SCAN_RESULTS, venueIds],
  );
  const events = rows.map((r) => ({
    eventId: r.event_id,
    eventName: r.name,
    sales: r.sales,
    revenueCents: r.revenue,
    transfers: r.transfers,
    invalidScans: r.invalid,
  }));
  const totals = events.reduce(
    (t, e) => ({
      sales: t.sales + e.sales,
      revenueCents: t.revenueCents + e.revenueCents,
      transfers: t.transfers + e.transfers,
      invalidScans: t.invalidScans + e.invalidScans,
    }),
    { sales: 0, revenueCents: 0, transfers: 0, invalidScans: 0 },
  );
  return { date, totals, events };
}

const CSV_HEADER = ['report_date', 'event_id', 'event_name', 'tickets_sold', 'revenue_sgd', 'transfers', 'invalid_scans'];

/** RFC 4180: quote fields holding a comma, quote or line break; neutralise spreadsheet formulas in names. */
function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** One line per event and a TOTAL line, CRLF-terminated (RFC 4180). */
export function dailyReportCsv(report: DailyReport): string {
  const line = (id: string, name: string, l: Omit<DailyEventLine, 'eventId' | 'eventName'>) =>
    [report.date, id, name, String(l.sales), centsToDecimalString(l.revenueCents), String(l.transfers), String(l.invalidScans)]
      .map(csvField)
      .join(',');
  return [
    CSV_HEADER.join(','),
    ...report.events.map((e) => line(e.eventId ?? '', e.eventName ?? '(unreadable ticket)', e)),
    line('TOTAL', '', report.totals),
  ]
    .map((l) => `${l}\r\n`)
    .join('');
}

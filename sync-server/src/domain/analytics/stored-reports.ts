import type { Queryable } from '../../db/pool.js';

export type ReportFormat = 'csv' | 'json';

export interface StoredReport {
  id: string;
  reportDate: string;
  format: ReportFormat;
  content: string;
  createdAt: Date;
  /** The venues the figures cover; null: every venue. */
  venueIds: string[] | null;
}

/** Keeps a generated report in PostgreSQL (not on a server's disk), so any instance can serve it by id. */
export async function storeReport(
  db: Queryable,
  r: { reportDate: string; format: ReportFormat; content: string; at: Date; venueIds: string[] | null },
): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    'INSERT INTO stored_reports (report_date, format, content, created_at, venue_ids) VALUES ($1, $2, $3, $4, $5) RETURNING id',
    [r.reportDate, r.format, r.content, r.at, r.venueIds],
  );
  return rows[0]!.id;
}

export async function loadReport(db: Queryable, id: string): Promise<StoredReport | null> {
  const { rows } = await db.query<{
    id: string;
    report_date: string;
    format: ReportFormat;
    content: string;
    created_at: Date;
    venue_ids: string[] | null;
  }>(
    "SELECT id, to_char(report_date, 'YYYY-MM-DD') AS report_date, format, content, created_at, venue_ids FROM stored_reports WHERE id = $1",
    [id],
  );
  const r = rows[0];
  return r
    ? { id: r.id, reportDate: r.report_date, format: r.format, content: r.content, createdAt: r.created_at, venueIds: r.venue_ids }
    : null;
}

import type { Queryable } from '../../db/pool.js';

export type ReportFormat = 'csv' | 'json';

export interface StoredReport {
  id: string;
  reportDate: string;
  format: ReportFormat;
  content: string;
  createdAt: Date;
}

/** Keeps a generated report in PostgreSQL (not on a server's disk), so any instance can serve it by id. */
export async function storeReport(
  db: Queryable,
  r: { reportDate: string; format: ReportFormat; content: string; at: Date },
): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    'INSERT INTO stored_reports (report_date, format, content, created_at) VALUES ($1, $2, $3, $4) RETURNING id',
    [r.reportDate, r.format, r.content, r.at],
  );
  return rows[0]!.id;
}

export async function loadReport(db: Queryable, id: string): Promise<StoredReport | null> {
  const { rows } = await db.query<{ id: string; report_date: string; format: ReportFormat; content: string; created_at: Date }>(
    "SELECT id, to_char(report_date, 'YYYY-MM-DD') AS report_date, format, content, created_at FROM stored_reports WHERE id = $1",
    [id],
  );
  const r = rows[0];
  return r ? { id: r.id, reportDate: r.report_date, format: r.format, content: r.content, createdAt: r.created_at } : null;
}

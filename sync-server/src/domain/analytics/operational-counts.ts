import type { ScanResult } from '@ticketgate/protocol';
import type { Queryable } from '../../db/pool.js';

export interface OperationalCounts {
  /** Scans by verdict and by who decided: a gate (offline-capable kiosk) or online staff verification. */
  scans: { result: ScanResult; source: 'gate' | 'online'; n: number }[];
  conflicts: number;
  /** Uploaded scans the server refused to count, by reason code (admission.UPLOAD_REJECTIONS). */
  rejectedUploads: Record<string, number>;
  seats: Record<string, number>;
  orders: Record<string, number>;
  transfers: Record<string, number>;
  devices: Record<string, number>;
}

const countsBy = (table: string, column: string) =>
  `(SELECT COALESCE(json_object_agg(k, n), '{}') FROM (SELECT ${column} AS k, count(*) AS n FROM ${table} GROUP BY 1) x)`;

/**
 * Database-wide counts for the Prometheus scrape, in one round trip. They hold
 * for the whole deployment (every instance writes the same database), unlike
 * the per-instance HTTP figures; orders in EXPIRED are the holds the sweeper
 * released (or a payment found expired).
 */
export async function operationalCounts(db: Queryable): Promise<OperationalCounts> {
  const { rows } = await db.query<Omit<OperationalCounts, 'scans'> & { scans: OperationalCounts['scans'] | null }>(
    `SELECT
       (SELECT json_agg(x) FROM (SELECT result, CASE WHEN device_id IS NULL THEN 'online' ELSE 'gate' END AS source, count(*)::int AS n
                                   FROM scans GROUP BY 1, 2 ORDER BY 1, 2) x) AS scans,
       (SELECT count(*)::int FROM scans WHERE is_conflict) AS conflicts,
       ${countsBy('rejected_uploads', 'reason_code')} AS "rejectedUploads",
       ${countsBy('seats', 'status')} AS seats,
       ${countsBy('orders', 'status')} AS orders,
       ${countsBy('transfers', 'status')} AS transfers,
       ${countsBy('devices', 'status')} AS devices`,
  );
  const r = rows[0]!;
  return { ...r, scans: r.scans ?? [] };
}

import { opsLive, SCAN_RESULTS, type ScanResult } from '@ticketgate/protocol';
import type { Queryable } from '../../db/pool.js';
import { admittedBy } from './admissions.js';
import { gateStats } from './gate-stats.js';

const MINUTE_MS = 60_000;

/** The starts of the window's minutes (UTC), oldest first, the one containing `nowMs` last. */
export function windowMinutes(nowMs: number, minutes = opsLive.LIVE_WINDOW_MINUTES): number[] {
  const last = Math.floor(nowMs / MINUTE_MS) * MINUTE_MS;
  return Array.from({ length: minutes }, (_, i) => last - (minutes - 1 - i) * MINUTE_MS);
}

/**
 * The live door figures of an event: admissions per minute per gate and for
 * the hall over the last LIVE_WINDOW_MINUTES, refused scans by verdict,
 * unreadable codes, double admissions and rejected uploads. Every admission
 * counts (a conflict is someone who walked in too); the per-gate verdict totals
 * are gateStats', so the console and GET /api/sync/stats never disagree.
 */
export async function doorSnapshot(db: Queryable, eventId: string, nowMs: number): Promise<opsLive.LiveSnapshot> {
  const minutes = windowMinutes(nowMs);
  const from = new Date(minutes[0]!);
  const to = new Date(minutes[minutes.length - 1]! + MINUTE_MS);
  const [{ hallId, gates }, perMinute, hall, rejected] = await Promise.all([
    gateStats(db, eventId),
    db.query<{ device_id: string | null; minute: Date; n: number }>(
      `SELECT device_id, date_trunc('minute', scanned_at) AS minute, count(*)::int AS n
         FROM scans WHERE event_id = $1 AND result = 'SUCCESS' AND scanned_at >= $2 AND scanned_at < $3
        GROUP BY device_id, minute`,
      [eventId, from, to],
    ),
    db.query<{ name: string }>('SELECT h.name FROM events e JOIN halls h ON h.id = e.hall_id WHERE e.id = $1', [eventId]),
    db.query<{ device_id: string; name: string; reason_code: string; n: number; last: Date }>(
      `SELECT r.device_id, d.name, r.reason_code, count(*)::int AS n, max(r.received_at) AS last
         FROM rejected_uploads r JOIN devices d ON d.id = r.device_id
        WHERE r.event_id = $1 GROUP BY r.device_id, d.name, r.reason_code ORDER BY d.name, r.reason_code`,
      [eventId],
    ),
  ]);
  const { rows: active } = await db.query<{ id: string }>(`SELECT id FROM devices WHERE hall_id = $1 AND status = 'ACTIVE'`, [hallId]);
  const activeIds = new Set(active.map((r) => r.id));

  const index = new Map(minutes.map((m, i) => [m, i]));
  const series = new Map<string, number[]>();
  const hallSeries = minutes.map(() => 0);
  for (const r of perMinute.rows) {
    const i = index.get(r.minute.getTime());
    if (i === undefined) continue;
    const key = r.device_id ?? 'online';
    const s = series.get(key) ?? minutes.map(() => 0);
    s[i]! += r.n;
    series.set(key, s);
    hallSeries[i]! += r.n;
  }

  const invalid = new Map<ScanResult, number>();
  let unreadable = 0;
  let conflicts = 0;
  let total = 0;
  const gateSeries: opsLive.LiveSnapshot['gates'] = [];
  for (const g of gates) {
    unreadable += g.no_event;
    conflicts += g.conflicts;
    total += g.by_result.SUCCESS;
    for (const r of SCAN_RESULTS) if (r !== 'SUCCESS' && g.by_result[r]) invalid.set(r, (invalid.get(r) ?? 0) + g.by_result[r]);
    const key = g.device_id ?? 'online';
    // Revoked gates and idle online verification leave the chart; their scans stay in the totals.
    const shown = g.device_id ? activeIds.has(g.device_id) || g.by_result.SUCCESS > 0 : g.total > 0;
    if (shown)
      gateSeries.push({
        device_id: g.device_id,
        name: g.name,
        admissions: series.get(key) ?? minutes.map(() => 0),
        total: g.by_result.SUCCESS,
      });
  }

  return {
    event_id: eventId,
    server_time: new Date(nowMs).toISOString(),
    minutes: minutes.map((m) => new Date(m).toISOString()),
    halls: [{ hall_id: hallId, hall_name: hall.rows[0]?.name ?? hallId, admissions: hallSeries, total }],
    gates: gateSeries,
    invalid: SCAN_RESULTS.filter((r) => r !== 'SUCCESS' && invalid.has(r)).map((r) => ({
      result: r as Exclude<ScanResult, 'SUCCESS'>,
      count: invalid.get(r)!,
    })),
    unreadable,
    conflicts,
    rejected_uploads: rejected.rows.map((r) => ({
      device_id: r.device_id,
      name: admittedBy(r.name),
      reason_code: r.reason_code,
      count: r.n,
      last_received_at: r.last.toISOString(),
    })),
  };
}

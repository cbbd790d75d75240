import { SCAN_RESULTS, type ScanResult, type sync } from '@ticketgate/protocol';
import type { Queryable } from '../../db/pool.js';
import { admittedBy } from './admissions.js';
import { eventHall } from './hall-events.js';

/**
 * Scans of an event per gate by verdict; every device of the event's hall is
 * listed, idle ones with zeros. A verdict that names no event (an unreadable
 * code) is in /metrics too: here it is each gate's `no_event`, all time, for
 * the gates of the hall and the online staff who verified for it. Uploads the
 * server refused to count (rejected_uploads) are `rejected`, not among the verdicts.
 */
export async function gateStats(db: Queryable, eventId: string): Promise<{ hallId: string; gates: sync.GateStats['gates'] }> {
  const hallId = await eventHall(db, eventId);
  const { rows } = await db.query<{
    device_id: string | null;
    name: string | null;
    result: ScanResult | null;
    n: number;
    conflicts: number;
    no_event: number;
    rejected: number;
  }>(
    `SELECT d.id AS device_id, d.name, NULL AS result, 0 AS n, 0 AS conflicts, 0 AS no_event, 0 AS rejected FROM devices d WHERE d.hall_id = $2
     UNION ALL
     SELECT s.device_id, d.name, s.result, count(*)::int, (count(*) FILTER (WHERE s.is_conflict))::int, 0, 0
       FROM scans s LEFT JOIN devices d ON d.id = s.device_id
      WHERE s.event_id = $1
      GROUP BY s.device_id, d.name, s.result
     UNION ALL
     SELECT s.device_id, d.name, NULL, 0, 0, count(*)::int, 0
       FROM scans s LEFT JOIN devices d ON d.id = s.device_id
      WHERE s.event_id IS NULL AND (d.hall_id = $2 OR (s.device_id IS NULL AND s.hall_id = $2))
      GROUP BY s.device_id, d.name
     UNION ALL
     SELECT r.device_id, d.name, NULL, 0, 0, 0, count(*)::int
       FROM rejected_uploads r JOIN devices d ON d.id = r.device_id
      WHERE r.event_id = $1
      GROUP BY r.device_id, d.name`,
    [eventId, hallId],
  );
  const gates = new Map<string, sync.GateStats['gates'][number]>();
  for (const r of rows) {
    const key = r.device_id ?? 'online';
    let g = gates.get(key);
    if (!g) {
      g = {
        device_id: r.device_id,
        name: admittedBy(r.name),
        total: 0,
        conflicts: 0,
        no_event: 0,
        rejected: 0,
        by_result: Object.fromEntries(SCAN_RESULTS.map((res) => [res, 0])) as Record<ScanResult, number>,
      };
      gates.set(key, g);
    }
    g.no_event += r.no_event;
    g.rejected += r.rejected;
    if (r.result) {
      g.by_result[r.result] += r.n;
      g.total += r.n;
      g.conflicts += r.conflicts;
    }
  }
  return { hallId, gates: [...gates.values()].sort((a, b) => a.name.localeCompare(b.name)) };
}

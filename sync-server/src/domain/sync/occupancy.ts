import type { sync } from '@ticketgate/protocol';
import type { Queryable } from '../../db/pool.js';
import { admissionRules } from './admission-policy.js';
import { EVENT_RETENTION_MS, eventHall } from './hall-events.js';

/**
 * People inside, per event, hall and zone: counted entries (admissions and
 * re-entries, double admissions included — those people did walk in) minus
 * exits of a ticket that was inside, annulled admissions left out. The zone is
 * the one the gate (or staff member) stood at when it scanned; scans without
 * one count in their hall only.
 */
interface MovementCount {
  event_id: string;
  hall_id: string;
  hall_name: string;
  zone: string | null;
  entries: number;
  exits: number;
}

const COUNTS_SQL = `
  SELECT k.event_id, k.hall_id, h.name AS hall_name, k.zone,
         count(*) FILTER (WHERE k.result = 'SUCCESS')::int AS entries,
         count(*) FILTER (WHERE k.result = 'EXITED')::int AS exits
    FROM scans k JOIN halls h ON h.id = k.hall_id
   WHERE k.event_id = ANY($1::uuid[]) AND k.result IN ('SUCCESS', 'EXITED') AND k.annulled_at IS NULL
   GROUP BY 1, 2, 3, 4`;

const inside = (entries: number, exits: number) => Math.max(0, entries - exits);

/** GET /api/sync/occupancy: the event's own hall always listed (zeros before the doors open), with every zone of its policy. */
export async function eventOccupancy(db: Queryable, eventId: string): Promise<sync.OccupancyView> {
  const hallId = await eventHall(db, eventId);
  const { rows: halls } = await db.query<{ name: string }>('SELECT name FROM halls WHERE id = $1', [hallId]);
  const { rows } = await db.query<MovementCount>(COUNTS_SQL, [[eventId]]);
  const policyZones = ((await admissionRules(db, [eventId])).get(eventId)?.zones ?? []).map((z) => z.zone);
  const byHall = new Map<string, { hall_name: string; entries: number; exits: number; zones: Map<string, number> }>([
    [hallId, { hall_name: halls[0]!.name, entries: 0, exits: 0, zones: new Map(policyZones.map((z) => [z, 0])) }],
  ]);
  for (const r of rows) {
    const h = byHall.get(r.hall_id) ?? { hall_name: r.hall_name, entries: 0, exits: 0, zones: new Map<string, number>() };
    byHall.set(r.hall_id, h);
    h.entries += r.entries;
    h.exits += r.exits;
    if (r.zone !== null) h.zones.set(r.zone, (h.zones.get(r.zone) ?? 0) + r.entries - r.exits);
  }
  return {
    event_id: eventId,
    halls: [...byHall].map(([id, h]) => ({
      hall_id: id,
      hall_name: h.hall_name,
      inside: inside(h.entries, h.exits),
      entries: h.entries,
      exits: h.exits,
      zones: [...h.zones].map(([zone, n]) => ({ zone, inside: Math.max(0, n) })),
    })),
  };
}

/** For /metrics: people inside per current event (not older than the gates keep events), hall and zone ('' = the whole hall). */
export async function currentOccupancy(
  db: Queryable,
  nowMs: number,
): Promise<{ event_id: string; hall_id: string; zone: string; inside: number }[]> {
  const { rows: events } = await db.query<{ id: string }>('SELECT id FROM events WHERE event_date >= $1', [
    new Date(nowMs - EVENT_RETENTION_MS),
  ]);
  if (events.length === 0) return [];
  const { rows } = await db.query<MovementCount>(COUNTS_SQL, [events.map((e) => e.id)]);
  const totals = new Map<string, { event_id: string; hall_id: string; zone: string; n: number }>();
  const add = (event_id: string, hall_id: string, zone: string, n: number) => {
    const key = `${event_id}|${hall_id}|${zone}`;
    const t = totals.get(key) ?? { event_id, hall_id, zone, n: 0 };
    t.n += n;
    totals.set(key, t);
  };
  for (const r of rows) {
    add(r.event_id, r.hall_id, '', r.entries - r.exits);
    if (r.zone !== null) add(r.event_id, r.hall_id, r.zone, r.entries - r.exits);
  }
  return [...totals.values()].map((t) => ({ event_id: t.event_id, hall_id: t.hall_id, zone: t.zone, inside: Math.max(0, t.n) }));
}

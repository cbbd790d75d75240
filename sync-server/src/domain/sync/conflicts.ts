import type { sync } from '@ticketgate/protocol';
import type { Queryable } from '../../db/pool.js';
import { admittedBy } from './admissions.js';
import { eventHall } from './hall-events.js';

interface ConflictRow {
  scan_id: string;
  event_id: string;
  seat_id: string;
  row_label: string;
  seat_number: number;
  category: string;
  scanned_at: Date;
  received_at: Date;
  device_id: string | null;
  device_name: string | null;
  canonical_at: Date;
  canonical_device_id: string | null;
  canonical_device_name: string | null;
  total: number;
}

/** Double admissions of an event (the later side of each), with the admission they lost to. */
export async function listConflicts(
  db: Queryable,
  q: { eventId: string; page: number; perPage: number },
): Promise<{ items: sync.ConflictView[]; total: number }> {
  await eventHall(db, q.eventId);
  const { rows } = await db.query<ConflictRow>(
    `SELECT c.id AS scan_id, s.event_id, c.seat_id, s.row_label, s.seat_number, s.category,
            c.scanned_at, c.received_at, c.device_id, cd.name AS device_name,
            k.scanned_at AS canonical_at, k.device_id AS canonical_device_id, kd.name AS canonical_device_name,
            count(*) OVER ()::int AS total
       FROM scans c
       JOIN seats s ON s.id = c.seat_id
       JOIN scans k ON k.seat_id = c.seat_id AND k.result = 'SUCCESS' AND NOT k.is_conflict AND NOT k.re_entry AND k.annulled_at IS NULL
       LEFT JOIN devices cd ON cd.id = c.device_id
       LEFT JOIN devices kd ON kd.id = k.device_id
      WHERE c.is_conflict AND c.event_id = $1
      ORDER BY c.scanned_at, c.id
      LIMIT $2 OFFSET $3`,
    [q.eventId, q.perPage, (q.page - 1) * q.perPage],
  );
  const total = rows[0]?.total ?? (await countConflicts(db, q.eventId));
  return {
    total,
    items: rows.map((r) => ({
      scan_id: r.scan_id,
      event_id: r.event_id,
      seat_id: r.seat_id,
      row: r.row_label,
      number: r.seat_number,
      category: r.category,
      conflict: {
        event_id: r.event_id,
        seat_id: r.seat_id,
        scanned_at: r.scanned_at.toISOString(),
        device_id: r.device_id,
        admitted_by: admittedBy(r.device_name),
        received_at: r.received_at.toISOString(),
      },
      canonical: {
        event_id: r.event_id,
        seat_id: r.seat_id,
        scanned_at: r.canonical_at.toISOString(),
        device_id: r.canonical_device_id,
        admitted_by: admittedBy(r.canonical_device_name),
      },
    })),
  };
}

async function countConflicts(db: Queryable, eventId: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM scans WHERE is_conflict AND event_id = $1', [eventId]);
  return rows[0]!.n;
}

import type { Queryable } from '../../db/pool.js';
import { DomainError } from '../errors.js';

/** Events stay on the gates until a day after their date: late admissions and uploads still happen. */
export const EVENT_RETENTION_MS = 24 * 3600 * 1000;

export interface HallEvent {
  id: string;
  name: string;
  event_date: Date;
  seq: number;
}

/** The current and upcoming events of a hall: what its gates hold. */
export async function currentHallEvents(db: Queryable, hallId: string, nowMs: number): Promise<HallEvent[]> {
  const { rows } = await db.query<HallEvent>(
    'SELECT id, name, event_date, seq FROM events WHERE hall_id = $1 AND event_date >= $2 ORDER BY event_date, id',
    [hallId, new Date(nowMs - EVENT_RETENTION_MS)],
  );
  return rows;
}

/** The hall of an event; EVENT_NOT_FOUND when there is no such event. */
export async function eventHall(db: Queryable, eventId: string): Promise<string> {
  const { rows } = await db.query<{ hall_id: string }>('SELECT hall_id FROM events WHERE id = $1', [eventId]);
  if (!rows[0]) throw new DomainError('EVENT_NOT_FOUND');
  return rows[0].hall_id;
}

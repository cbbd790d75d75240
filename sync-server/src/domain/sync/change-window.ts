import type { Pool, Queryable } from '../../db/pool.js';
import { withTransaction } from '../../db/pool.js';
import { DomainError } from '../errors.js';

/** What a reader of an event's seat changes may return: changes in (since, cursor], or everything when full. */
export interface ChangeWindow {
  eventId: string;
  hallId: string;
  since: number;
  /** change_cursor() of this read's snapshot: every change at or below it is final and visible here. */
  cursor: number;
  /** since = 0, or a since ahead of the server's cursor (a restored database): the reader gets every seat. */
  full: boolean;
}

/**
 * Runs `read` in one repeatable-read snapshot together with the event's change
 * window. The cursor rule (migration change_cursor_without_hot_row): a change committing during or after
 * this read has a position above `cursor`, so a reader that returns the seats
 * with positions in (since, cursor] and asks from `cursor` next time misses
 * nothing; a seat changed again above the cursor waits for that next read.
 * EVENT_NOT_FOUND when there is no such event.
 */
export async function readChangeWindow<T>(
  pool: Pool,
  eventId: string,
  since: number,
  read: (db: Queryable, w: ChangeWindow) => Promise<T>,
): Promise<T> {
  return withTransaction(
    pool,
    async (db) => {
      const ev = (
        await db.query<{ hall_id: string; cursor: number }>('SELECT hall_id, change_cursor() AS cursor FROM events WHERE id = $1', [
          eventId,
        ])
      ).rows[0];
      if (!ev) throw new DomainError('EVENT_NOT_FOUND');
      return read(db, { eventId, hallId: ev.hall_id, since, cursor: ev.cursor, full: since === 0 || since > ev.cursor });
    },
    { isolation: 'REPEATABLE READ' },
  );
}

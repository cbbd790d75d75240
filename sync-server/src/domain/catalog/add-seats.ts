import { withTransaction, type Pool } from '../../db/pool.js';
import { DomainError } from '../errors.js';
import { insertSeatBlocks } from './seat-blocks.js';
import { seatLabel, seatsToBlocks, type SeatSpec } from './seat-layout.js';
import { lineErrors, type LineError } from './seat-rules.js';

/**
 * Adds seats to an event, all or nothing, in one transaction with one bump of
 * the event's change sequence. Refused with every offending seat named: seats
 * in categories the event does not price (VALIDATION_ERROR), and seats that
 * already exist or appear twice (CONFLICT).
 */
export async function addSeats(pool: Pool, eventId: string, seats: SeatSpec[]): Promise<{ inserted: number; totalSeats: number }> {
  return withTransaction(pool, async (db) => {
    // Locking the event serialises seat additions to it, so the conflict check
    // below cannot be overtaken by a concurrent import.
    const event = await db.query('SELECT 1 FROM events WHERE id = $1 FOR UPDATE', [eventId]);
    if (!event.rowCount) throw new DomainError('EVENT_NOT_FOUND');

    const { rows: tiers } = await db.query<{ category: string }>('SELECT category FROM event_categories WHERE event_id = $1', [eventId]);
    const priced = new Set(tiers.map((t) => t.category));
    const unpriced: LineError[] = [];
    const unpricedCategories = new Set<string>();
    for (const s of seats) {
      if (priced.has(s.category)) continue;
      // Imported lines are named one by one; blocks once per category.
      if (s.line !== undefined) unpriced.push({ line: s.line, message: `category "${s.category}" is not a pricing tier of this event` });
      else if (!unpricedCategories.has(s.category))
        unpriced.push({ message: `category "${s.category}" is not a pricing tier of this event` });
      unpricedCategories.add(s.category);
    }
    if (unpriced.length) {
      throw lineErrors(unpriced, `Seats use categories the event does not price (tiers: ${[...priced].sort().join(', ') || 'none'})`);
    }

    const conflicts: LineError[] = [];
    const firstOf = new Map<string, SeatSpec>();
    for (const s of seats) {
      const seen = firstOf.get(seatLabel(s));
      if (seen) conflicts.push({ line: s.line, message: `seat ${seatLabel(s)} is listed twice in this request` });
      else firstOf.set(seatLabel(s), s);
    }
    const { rows: existing } = await db.query<{ row_label: string; seat_number: number }>(
      `SELECT s.row_label, s.seat_number
         FROM unnest($2::text[], $3::int[]) AS w(row_label, seat_number)
         JOIN seats s ON s.event_id = $1 AND s.row_label = w.row_label AND s.seat_number = w.seat_number
        ORDER BY length(s.row_label), s.row_label, s.seat_number`,
      [eventId, seats.map((s) => s.row), seats.map((s) => s.number)],
    );
    for (const e of existing) {
      const s = firstOf.get(seatLabel({ row: e.row_label, number: e.seat_number }))!;
      conflicts.push({ line: s.line, message: `seat ${seatLabel(s)} already exists` });
    }
    if (conflicts.length) throw lineErrors(conflicts, `${conflicts.length} seat(s) already exist or repeat; nothing was added`, 'CONFLICT');

    const inserted = await insertSeatBlocks(db, eventId, seatsToBlocks(seats));
    const total = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM seats WHERE event_id = $1', [eventId]);
    return { inserted, totalSeats: total.rows[0]!.n };
  });
}

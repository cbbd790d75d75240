import type { Queryable } from '../../db/pool.js';

export interface SeatBlock {
  rows: string[];
  seatsPerRow: number;
  category: string;
  firstSeatNumber?: number;
}

/**
 * Inserts seats for an event in one statement per block. The whole batch shares
 * one bump of the event's change sequence (instead of one per seat), which keeps
 * creating a 100,000-seat event cheap.
 */
export async function insertSeatBlocks(db: Queryable, eventId: string, blocks: SeatBlock[]): Promise<number> {
  if (blocks.length === 0) return 0;
  const { rows } = await db.query<{ seq: number }>('UPDATE events SET seq = seq + 1 WHERE id = $1 RETURNING seq', [eventId]);
  const seq = rows[0]?.seq;
  if (seq === undefined) throw new Error(`event ${eventId} not found`);
  let inserted = 0;
  for (const b of blocks) {
    const first = b.firstSeatNumber ?? 1;
    const res = await db.query(
      `INSERT INTO seats (event_id, row_label, seat_number, category, seq)
       SELECT $1, r.label, n, $4, $5
         FROM unnest($2::text[]) AS r(label)
         CROSS JOIN generate_series($3::int, $3::int + $6::int - 1) AS n`,
      [eventId, b.rows, first, b.category, seq, b.seatsPerRow],
    );
    inserted += res.rowCount ?? 0;
  }
  return inserted;
}

/** Row labels A..Z, AA..AZ, BA.. like a venue's seat map. */
export function rowLabels(count: number, offset = 0): string[] {
  const label = (i: number): string => {
    let s = '';
    let n = i;
    do {
      s = String.fromCharCode(65 + (n % 26)) + s;
      n = Math.floor(n / 26) - 1;
    } while (n >= 0);
    return s;
  };
  return Array.from({ length: count }, (_, i) => label(i + offset));
}

import type { Queryable } from '../../db/pool.js';

export interface SeatBlock {
  rows: string[];
  seatsPerRow: number;
  category: string;
  firstSeatNumber?: number;
}

/**
 * Inserts seats for an event in one statement per block. Every seat carries the
 * transaction's change position (trigger), so gates pull the batch as one change.
 */
export async function insertSeatBlocks(db: Queryable, eventId: string, blocks: SeatBlock[]): Promise<number> {
  if (blocks.length === 0) return 0;
  let inserted = 0;
  for (const b of blocks) {
    const first = b.firstSeatNumber ?? 1;
    const res = await db.query(
      `INSERT INTO seats (event_id, row_label, seat_number, category)
       SELECT $1, r.label, n, $4
         FROM unnest($2::text[]) AS r(label)
         CROSS JOIN generate_series($3::int, $3::int + $5::int - 1) AS n`,
      [eventId, b.rows, first, b.category, b.seatsPerRow],
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

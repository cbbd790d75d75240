import type { SeatBlock } from './seat-blocks.js';

/** One seat to create; `line` is where it came from in an imported file (for error reports). */
export interface SeatSpec {
  row: string;
  number: number;
  category: string;
  line?: number;
}

export const seatLabel = (s: Pick<SeatSpec, 'row' | 'number'>): string => `${s.row}-${s.number}`;

export function expandSeatBlocks(blocks: SeatBlock[]): SeatSpec[] {
  const seats: SeatSpec[] = [];
  for (const b of blocks) {
    const first = b.firstSeatNumber ?? 1;
    for (const row of b.rows) {
      for (let n = first; n < first + b.seatsPerRow; n++) seats.push({ row, number: n, category: b.category });
    }
  }
  return seats;
}

/**
 * The fewest blocks that create exactly `seats`: consecutive numbers of a row
 * and category become one run, and rows with the same run share a block, so a
 * rectangular seat map imported seat by seat inserts in a handful of statements.
 * Seats must be unique by (row, number).
 */
export function seatsToBlocks(seats: SeatSpec[]): SeatBlock[] {
  const byRow = new Map<string, number[]>();
  for (const s of seats) {
    const key = `${s.category}\u0000${s.row}`;
    const list = byRow.get(key);
    if (list) list.push(s.number);
    else byRow.set(key, [s.number]);
  }
  const blocks = new Map<string, SeatBlock>();
  for (const [key, numbers] of byRow) {
    const [category, row] = key.split('\u0000') as [string, string];
    numbers.sort((a, b) => a - b);
    let start = 0;
    for (let i = 1; i <= numbers.length; i++) {
      if (i < numbers.length && numbers[i] === numbers[i - 1]! + 1) continue;
      const first = numbers[start]!;
      const length = i - start;
      const runKey = `${category}\u0000${first}\u0000${length}`;
      const block = blocks.get(runKey);
      if (block) block.rows.push(row);
      else blocks.set(runKey, { rows: [row], seatsPerRow: length, category, firstSeatNumber: first });
      start = i;
    }
  }
  return [...blocks.values()];
}

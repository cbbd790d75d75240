import type { Seat, SeatStatus } from '@ticketgate/ui/api';

/** Letters of GET /api/events/{id}/seat-status. */
const LETTER: Record<string, SeatStatus> = { A: 'AVAILABLE', H: 'HELD', S: 'SOLD', C: 'CHECKED_IN' };

/** Seats on a grid: one line per row label, in the order the API lists them, seat numbers left to right. */
export interface SeatLayout {
  seats: Seat[];
  /** Grid column and line of seat i. */
  col: Int32Array;
  line: Int32Array;
  rows: string[];
  /** Seat index at (line, column), -1 where there is none. */
  at(line: number, col: number): number;
  width: number;
  height: number;
  categories: string[];
}

export function layoutSeats(seats: Seat[]): SeatLayout {
  const rows: string[] = [];
  const col = new Int32Array(seats.length);
  const line = new Int32Array(seats.length);
  let width = 0;
  const categories = new Set<string>();
  seats.forEach((s, i) => {
    if (rows[rows.length - 1] !== s.row_number) rows.push(s.row_number);
    line[i] = rows.length - 1;
    col[i] = s.seat_number - 1;
    width = Math.max(width, s.seat_number);
    categories.add(s.category);
  });
  const grid = new Int32Array(rows.length * width).fill(-1);
  seats.forEach((_, i) => (grid[line[i]! * width + col[i]!] = i));
  return {
    seats,
    col,
    line,
    rows,
    width,
    height: rows.length,
    categories: [...categories].sort(),
    at: (l, c) => (l < 0 || c < 0 || l >= rows.length || c >= width ? -1 : grid[l * width + c]!),
  };
}

/** Applies a status string to the seats; false when it does not fit this map (seats added or removed: reload). */
export function applyStatuses(seats: Seat[], statuses: string): boolean {
  if (statuses.length !== seats.length) return false;
  for (let i = 0; i < seats.length; i++) seats[i]!.status = LETTER[statuses[i]!] ?? seats[i]!.status;
  return true;
}

/** A colour per category, distinguishable in greyscale too (lightness steps), on white. */
const PALETTE = ['#1f5fbf', '#b3261e', '#0f7b3d', '#8a4fbf', '#b06000', '#006d7a', '#5b5b00'];
export function categoryColours(categories: string[]): Record<string, string> {
  return Object.fromEntries(categories.map((c, i) => [c, PALETTE[i % PALETTE.length]!]));
}

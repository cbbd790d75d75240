import type { Seat, SeatStatusDelta } from '@ticketgate/ui/api';

/** Seats on a grid: one line per row label, in the order the API lists them, seat numbers left to right. */
export interface SeatLayout {
  seats: Seat[];
  /** Grid column and line of seat i. */
  col: Int32Array;
  line: Int32Array;
  rows: string[];
  /** Seat index at (line, column), -1 where there is none. */
  at(line: number, col: number): number;
  /** Seat index by seat id, -1 for a seat this map does not have. */
  indexOf(seatId: string): number;
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
  const byId = new Map(seats.map((s, i) => [s.seat_id, i]));
  return {
    seats,
    col,
    line,
    rows,
    width,
    height: rows.length,
    categories: [...categories].sort(),
    at: (l, c) => (l < 0 || c < 0 || l >= rows.length || c >= width ? -1 : grid[l * width + c]!),
    indexOf: (id) => byId.get(id) ?? -1,
  };
}

/**
 * Applies a seat delta (GET /api/events/{id}/seats?since=) to the map; false when
 * it names a seat this map does not have, or a full listing has a different
 * count (seats were added or removed: reload the map).
 */
export function applySeatChanges(layout: SeatLayout, delta: SeatStatusDelta): boolean {
  if (delta.full && delta.seats.length !== layout.seats.length) return false;
  for (const change of delta.seats) {
    const i = layout.indexOf(change.seat_id);
    if (i < 0) return false;
    layout.seats[i]!.status = change.status;
  }
  return true;
}

/** A colour per category, distinguishable in greyscale too (lightness steps), on white. */
const PALETTE = ['#1f5fbf', '#b3261e', '#0f7b3d', '#8a4fbf', '#b06000', '#006d7a', '#5b5b00'];
export function categoryColours(categories: string[]): Record<string, string> {
  return Object.fromEntries(categories.map((c, i) => [c, PALETTE[i % PALETTE.length]!]));
}

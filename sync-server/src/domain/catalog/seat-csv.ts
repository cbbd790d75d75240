import { DomainError } from '../errors.js';
import { ROW_LABEL, SEAT_NUMBER_MAX, SEATS_PER_REQUEST_MAX, type LineError, lineErrors } from './seat-rules.js';
import { seatLabel, type SeatSpec } from './seat-layout.js';

const HEADER = ['row', 'seat_number', 'category'];

const cells = (line: string): string[] =>
  line.split(',').map((c) =>
    c
      .trim()
      .replace(/^"(.*)"$/, '$1')
      .trim(),
  );

/**
 * Parses a seat list (`row,seat_number,category` header, one seat per line).
 * Every line is checked and every bad one reported by its line number (the
 * header is line 1), so an operator fixes the file in one pass; nothing is
 * returned unless the whole file is valid. Categories are checked against the
 * event later, with the same line numbers.
 */
export function parseSeatCsv(text: string): SeatSpec[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const headerAt = lines.findIndex((l) => l.trim() !== '');
  if (headerAt < 0) throw new DomainError('VALIDATION_ERROR', `The file is empty: expected the header "${HEADER.join(',')}".`);
  const header = cells(lines[headerAt]!).map((c) => c.toLowerCase());
  if (header.join(',') !== HEADER.join(',')) {
    throw new DomainError('VALIDATION_ERROR', `Line ${headerAt + 1}: the header must be "${HEADER.join(',')}".`, [
      { field: `line ${headerAt + 1}`, message: `expected header "${HEADER.join(',')}"` },
    ]);
  }
  const seats: SeatSpec[] = [];
  const errors: LineError[] = [];
  const firstLineOf = new Map<string, number>();
  for (let i = headerAt + 1; i < lines.length; i++) {
    const raw = lines[i]!;
    if (raw.trim() === '') continue;
    const line = i + 1;
    const bad = (message: string) => errors.push({ line, message });
    const c = cells(raw);
    if (c.length !== 3) {
      bad(`expected 3 columns (row,seat_number,category), found ${c.length}`);
      continue;
    }
    const [row, num, category] = c as [string, string, string];
    const number = /^[0-9]{1,9}$/.test(num) ? Number(num) : NaN;
    const problems: string[] = [];
    if (!ROW_LABEL.test(row)) problems.push(`row "${row}" must be 1-8 of A-Z, 0-9`);
    if (!(number >= 1 && number <= SEAT_NUMBER_MAX))
      problems.push(`seat_number "${num}" must be a whole number from 1 to ${SEAT_NUMBER_MAX}`);
    if (category === '') problems.push('category is missing');
    if (problems.length) {
      bad(problems.join('; '));
      continue;
    }
    const seat = { row, number, category, line };
    const seen = firstLineOf.get(seatLabel(seat));
    if (seen !== undefined) {
      bad(`seat ${seatLabel(seat)} repeats line ${seen}`);
      continue;
    }
    firstLineOf.set(seatLabel(seat), line);
    seats.push(seat);
  }
  if (errors.length) throw lineErrors(errors, 'The file has errors; nothing was imported');
  if (seats.length === 0) throw new DomainError('VALIDATION_ERROR', 'The file lists no seats.');
  if (seats.length > SEATS_PER_REQUEST_MAX) {
    throw new DomainError('VALIDATION_ERROR', `At most ${SEATS_PER_REQUEST_MAX} seats per import (the file has ${seats.length}).`);
  }
  return seats;
}

import { canSeeVenue, type VenueScope } from '../../policy/venues.js';
import { withTransaction, type Pool } from '../../db/pool.js';
import { DomainError } from '../errors.js';
import { insertEvent, type NewEvent } from './create-event.js';
import { parseCsv } from './csv-rows.js';
import { EVENT_TYPES, type EventType } from './event-types.js';
import { CATEGORY, lineErrors, type LineError } from './seat-rules.js';

export const EVENT_CSV_HEADER = ['hall_id', 'name', 'event_date', 'event_type', 'city', 'description', 'prices'];
export const EVENTS_PER_IMPORT_MAX = 500;
const HALL = /^[A-Z0-9-]{1,8}$/;
const PRICE = /^(\d{1,7})(?:\.(\d{1,2}))?$/;
const ISO_WITH_ZONE = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/;

type ParsedEvent = Omit<NewEvent, 'venueId'> & { line: number };

/** `CAT1=350.00;CAT2=200` → cents by category, or the reason it is not that. */
function parsePrices(text: string): Record<string, number> | string {
  const tiers: Record<string, number> = {};
  for (const part of text
    .split(';')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [category = '', price = ''] = part.split('=').map((x) => x.trim());
    const m = PRICE.exec(price);
    if (!CATEGORY.test(category) || !m) return `prices: "${part}" is not CATEGORY=price (A-Z 0-9 _ -, at most 2 decimals)`;
    if (category in tiers) return `prices: ${category} repeats`;
    tiers[category] = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  }
  const n = Object.keys(tiers).length;
  return n >= 1 && n <= 50 ? tiers : 'prices: between 1 and 50 tiers, like CAT1=350.00;CAT2=200';
}

/**
 * Parses an event list (header `hall_id,name,event_date,event_type,city,description,prices`,
 * one event per record, quoted fields for commas). Every record is checked and
 * every bad one reported by its line; nothing is returned unless all are valid.
 */
export function parseEventCsv(text: string, now: number): ParsedEvent[] {
  const { records, unterminatedAt } = parseCsv(text);
  if (unterminatedAt)
    throw lineErrors([{ line: unterminatedAt, message: 'a quoted field is never closed' }], 'The file has errors; nothing was imported');
  const [header, ...rows] = records;
  if (!header || header.cells.map((c) => c.toLowerCase()).join(',') !== EVENT_CSV_HEADER.join(',')) {
    throw new DomainError('VALIDATION_ERROR', `The header must be "${EVENT_CSV_HEADER.join(',')}".`, [
      { field: `line ${header?.line ?? 1}`, message: `expected header "${EVENT_CSV_HEADER.join(',')}"` },
    ]);
  }
  const errors: LineError[] = [];
  const events: ParsedEvent[] = [];
  for (const { line, cells } of rows) {
    if (cells.length !== EVENT_CSV_HEADER.length) {
      errors.push({ line, message: `expected ${EVENT_CSV_HEADER.length} columns, found ${cells.length}` });
      continue;
    }
    const [hallId, name, date, type, city, description, prices] = cells as [string, string, string, string, string, string, string];
    const problems: string[] = [];
    if (!HALL.test(hallId)) problems.push(`hall_id "${hallId}" must be 1-8 of A-Z, 0-9, -`);
    if (name === '' || name.length > 200) problems.push('name: 1-200 characters');
    const at = ISO_WITH_ZONE.test(date) ? new Date(date) : new Date(NaN);
    if (Number.isNaN(at.getTime())) problems.push(`event_date "${date}" must be ISO 8601 with a zone`);
    else if (at.getTime() <= now) problems.push('event_date must be in the future');
    const eventType = (type === '' ? 'other' : type.toLowerCase()) as EventType;
    if (!EVENT_TYPES.includes(eventType)) problems.push(`event_type "${type}" must be one of ${EVENT_TYPES.join(', ')}`);
    if (city.length > 100) problems.push('city: at most 100 characters');
    if (description.length > 2000) problems.push('description: at most 2000 characters');
    const tiers = parsePrices(prices);
    if (typeof tiers === 'string') problems.push(tiers);
    if (problems.length || typeof tiers === 'string') {
      errors.push({ line, message: problems.join('; ') });
      continue;
    }
    events.push({ line, hallId, name, eventDate: at, eventType, description, tiersCents: tiers, ...(city ? { city } : {}) });
  }
  if (errors.length) throw lineErrors(errors, 'The file has errors; nothing was imported');
  if (events.length === 0) throw new DomainError('VALIDATION_ERROR', 'The file lists no events.');
  if (events.length > EVENTS_PER_IMPORT_MAX)
    throw new DomainError('VALIDATION_ERROR', `At most ${EVENTS_PER_IMPORT_MAX} events per import.`);
  return events;
}

/**
 * Creates every event of a parsed file in one transaction, each in its hall's
 * venue; an unknown hall, or a hall of a venue outside the caller's scope
 * (an operator imports only into their own venues), fails the whole file with
 * the lines named.
 */
export async function importEvents(pool: Pool, events: ParsedEvent[], scope: VenueScope): Promise<string[]> {
  return withTransaction(pool, async (db) => {
    const { rows } = await db.query<{ id: string; venue_id: string }>('SELECT id, venue_id FROM halls WHERE id = ANY($1)', [
      [...new Set(events.map((e) => e.hallId))],
    ]);
    const venueOf = new Map(rows.map((h) => [h.id, h.venue_id]));
    const unknown = events.filter((e) => !venueOf.has(e.hallId)).map((e) => ({ line: e.line, message: `no hall ${e.hallId}` }));
    if (unknown.length) throw lineErrors(unknown, 'The file names unknown halls; nothing was imported', 'HALL_NOT_FOUND');
    const outside = events
      .filter((e) => !canSeeVenue(scope, venueOf.get(e.hallId)!))
      .map((e) => ({ line: e.line, message: `hall ${e.hallId} belongs to a venue you are not assigned to` }));
    if (outside.length) throw lineErrors(outside, 'The file names halls outside your venues; nothing was imported', 'FORBIDDEN');
    const ids: string[] = [];
    for (const { line: _line, ...e } of events) ids.push(await insertEvent(db, { ...e, venueId: venueOf.get(e.hallId)! }));
    return ids;
  });
}

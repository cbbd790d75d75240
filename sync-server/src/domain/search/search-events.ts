import type { Queryable } from '../../db/pool.js';
import { EVENT_TYPE_WORDS, type EventType } from '../catalog/event-types.js';
import { parseSearchQuery, type KnownPlace, type ParsedQuery } from './parse-query.js';

export interface FoundEvent {
  id: string;
  name: string;
  description: string;
  eventType: EventType;
  venueName: string;
  city: string;
  eventDate: Date;
  /** Lowest price of the event, cents. */
  fromPriceCents: number;
  capacity: number;
}

export const SEARCH_LIMIT = 20;

// Venue words too common to name one venue ("Singapore Indoor Stadium" is found by "indoor stadium", not by "stadium").
const GENERIC_VENUE_WORDS = new Set([
  'theatre',
  'theater',
  'stadium',
  'arena',
  'indoor',
  'centre',
  'center',
  'hall',
  'singapore',
  'national',
]);
const TYPE_WORDS = new Set(Object.values(EVENT_TYPE_WORDS).flat());

/** Venues (by full name or a distinctive word) and cities of the catalogue, as the query parser matches them. */
export async function knownPlaces(db: Queryable): Promise<KnownPlace[]> {
  const { rows } = await db.query<{ id: string; name: string; city: string }>('SELECT id, name, city FROM venues');
  const venues = rows.map((v) => {
    const full = v.name.toLowerCase();
    const words = full.split(/\s+/).filter((w) => w.length >= 5 && !GENERIC_VENUE_WORDS.has(w) && !TYPE_WORDS.has(w));
    return { venueId: v.id, names: [full, ...words] };
  });
  const cities = [
    ...new Set([
      ...rows.map((v) => v.city),
      ...(await db.query<{ city: string }>('SELECT DISTINCT city FROM events')).rows.map((r) => r.city),
    ]),
  ]
    .filter((c) => c.trim() !== '')
    .map((city) => ({ city, names: [city.toLowerCase()] }));
  // Longer names first, so "esplanade theatre" wins over a city or word inside it.
  return [...venues, ...cities].sort((a, b) => Math.max(...b.names.map((n) => n.length)) - Math.max(...a.names.map((n) => n.length)));
}

/**
 * Upcoming events matching a parsed query: date range, types and places as
 * filters, the free text as PostgreSQL full-text search (websearch syntax) over
 * the event's and its venue's text. Ranked by text relevance (type words count
 * towards it), then soonest first.
 */
export async function findEvents(db: Queryable, q: ParsedQuery, now: number): Promise<FoundEvent[]> {
  const rankText = [q.text, ...q.typeWords, ...q.types].filter(Boolean).join(' or ');
  const { rows } = await db.query<{
    id: string;
    name: string;
    description: string;
    event_type: EventType;
    venue_name: string;
    city: string;
    event_date: Date;
    from_price_cents: number | null;
    capacity: number;
  }>(
    `WITH q AS (SELECT websearch_to_tsquery('english', $1) AS match, websearch_to_tsquery('english', $2) AS rank)
     SELECT e.id, e.name, e.description, e.event_type, v.name AS venue_name, coalesce(nullif(e.city, ''), v.city) AS city, e.event_date,
            (SELECT min(price_cents) FROM event_categories c WHERE c.event_id = e.id) AS from_price_cents,
            (SELECT count(*)::int FROM seats s WHERE s.event_id = e.id) AS capacity
       FROM events e JOIN venues v ON v.id = e.venue_id, q
      WHERE e.event_date > $3
        AND ($4::timestamptz IS NULL OR e.event_date >= $4) AND ($5::timestamptz IS NULL OR e.event_date < $5)
        AND (cardinality($6::text[]) = 0 OR e.event_type = ANY($6))
        AND (cardinality($7::uuid[]) = 0 AND cardinality($8::text[]) = 0
             OR e.venue_id = ANY($7) OR lower(e.city) = ANY($8) OR lower(v.city) = ANY($8))
        AND (numnode(q.match) = 0 OR (e.search_vector || v.search_vector) @@ q.match)
      ORDER BY CASE WHEN numnode(q.rank) = 0 THEN 0 ELSE ts_rank(e.search_vector, q.rank) END DESC, e.event_date, e.id
      LIMIT ${SEARCH_LIMIT}`,
    [
      q.text,
      rankText,
      new Date(now),
      q.dates?.from ?? null,
      q.dates?.to ?? null,
      q.types,
      q.venueIds,
      q.cities.map((c) => c.toLowerCase()),
    ],
  );
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    description: r.description,
    eventType: r.event_type,
    venueName: r.venue_name,
    city: r.city,
    eventDate: r.event_date,
    fromPriceCents: r.from_price_cents ?? 0,
    capacity: r.capacity,
  }));
}

/** The whole search: parse against the catalogue's places, then query. */
export async function searchEvents(db: Queryable, query: string, now: number): Promise<{ parsed: ParsedQuery; events: FoundEvent[] }> {
  const parsed = parseSearchQuery(query, now, await knownPlaces(db));
  return { parsed, events: await findEvents(db, parsed, now) };
}

import { EVENT_TYPE_WORDS, type EventType } from '../catalog/event-types.js';
import { parseDatePhrase, type DateRange } from './date-phrases.js';

/** A place the catalogue knows: a venue (by name) or a city. */
export interface KnownPlace {
  venueId?: string;
  city?: string;
  /** Lower-case words that name it in a query ("esplanade", "singapore"). */
  names: string[];
}

export interface ParsedQuery {
  dates?: DateRange;
  types: EventType[];
  /** The words that named the types ("ballet"): they rank events that use them first. */
  typeWords: string[];
  venueIds: string[];
  cities: string[];
  /** What is left for full-text search. */
  text: string;
  keywords: string[];
}

// Words that say "I am searching" but name nothing: left out of the full-text query.
const FILLER = new Set(
  'event events show shows ticket tickets find me any some what whats happening things thing to do around near in at on the a an for of and with live this next coming'.split(
    ' ',
  ),
);

const TYPE_OF_WORD = new Map<string, EventType>(
  Object.entries(EVENT_TYPE_WORDS).flatMap(([type, words]) => words.map((w) => [w, type as EventType] as const)),
);

/**
 * Splits a natural-language query into a date range, event types, places and
 * the remaining free text. Dates come first (their words are taken out), then
 * type words and place names; filler words are dropped; what remains is
 * searched as text.
 */
export function parseSearchQuery(query: string, now: number, places: KnownPlace[]): ParsedQuery {
  let rest = query;
  const keywords: string[] = [];
  const dates = parseDatePhrase(rest, now);
  if (dates) {
    rest = rest.replace(dates.text, ' ');
    keywords.push(dates.text.toLowerCase());
  }
  const lower = ` ${rest.toLowerCase().replace(/[^\p{L}\p{N}'-]+/gu, ' ')} `;
  const venueIds = new Set<string>();
  const cities = new Set<string>();
  let remaining = lower;
  for (const p of places) {
    const hit = p.names.find((n) => remaining.includes(` ${n} `));
    if (!hit) continue;
    remaining = remaining.replace(` ${hit} `, ' ');
    keywords.push(hit);
    if (p.venueId) venueIds.add(p.venueId);
    if (p.city) cities.add(p.city);
  }
  const types = new Set<EventType>();
  const typeWords: string[] = [];
  const free: string[] = [];
  for (const word of remaining.split(' ').filter(Boolean)) {
    const type = TYPE_OF_WORD.get(word);
    if (type) {
      types.add(type);
      typeWords.push(word);
      keywords.push(word);
    } else if (!FILLER.has(word)) {
      free.push(word);
      keywords.push(word);
    }
  }
  return {
    ...(dates ? { dates } : {}),
    types: [...types],
    typeWords,
    venueIds: [...venueIds],
    cities: [...cities],
    text: free.join(' '),
    keywords: [...new Set(keywords)],
  };
}

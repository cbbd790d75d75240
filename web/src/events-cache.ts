import type { EventSummary } from '@ticketgate/ui/api';
import { api } from './session.js';

let cached: Promise<EventSummary[]> | null = null;

/** Every upcoming event (pages of 100), fetched once per app load; the venue names for tickets come from here too. */
export function upcomingEvents(refresh = false): Promise<EventSummary[]> {
  if (refresh || !cached) {
    cached = (async () => {
      const all: EventSummary[] = [];
      for (let page = 1; ; page++) {
        const p = await api.page<EventSummary>(`/api/events?per_page=100&page=${page}`);
        all.push(...p.data);
        if (page >= p.pagination.total_pages) return all;
      }
    })();
    cached.catch(() => (cached = null));
  }
  return cached;
}

/** The plain filter: every word of the query must appear in the name, venue, hall or date. */
export function filterEvents(events: EventSummary[], query: string): EventSummary[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return events;
  return events.filter((e) => {
    const hay = `${e.name} ${e.venue.name} ${e.hall_id} ${new Date(e.event_date).toDateString()}`.toLowerCase();
    return words.every((w) => hay.includes(w));
  });
}

import type { EventSummary } from '@ticketgate/ui/api';
import { createContext, type ComponentChildren } from 'preact';
import { useContext, useMemo, useState } from 'preact/hooks';
import { useLoad } from '../hooks.js';
import { api } from './api.js';

export interface ScopeHall {
  hall_id: string;
  name: string;
  venue_id: string;
  venue_name: string;
}
export interface ScopeVenue {
  venue_id: string;
  name: string;
  address: string | null;
  city: string | null;
  halls: { hall_id: string; name: string }[];
}

/** What the signed-in operator may see: their venues (the server answers only those), their halls and those halls' upcoming events. */
export interface Scope {
  venues: ScopeVenue[];
  halls: ScopeHall[];
  events: EventSummary[];
  error: string | null;
  loaded: boolean;
  reload(): void;
  /** The event the show-day views look at, kept across views and reloads. */
  eventId: string | null;
  setEventId(id: string): void;
}

const ScopeContext = createContext<Scope | null>(null);
const EVENT_KEY = 'ticketgate.console.event';

export function useScope(): Scope {
  const s = useContext(ScopeContext);
  if (!s) throw new Error('useScope outside <ScopeProvider>');
  return s;
}

async function loadScope(): Promise<{ venues: ScopeVenue[]; events: EventSummary[] }> {
  const [venues, events] = await Promise.all([
    api.get<ScopeVenue[]>('/api/ops/venues'),
    api.page<EventSummary>('/api/events?per_page=100'),
  ]);
  return { venues, events: events.data };
}

export function ScopeProvider({ children }: { children: ComponentChildren }) {
  const { data, error, reload } = useLoad(loadScope, []);
  const [eventId, setEvent] = useState<string | null>(() => localStorage.getItem(EVENT_KEY));
  const value = useMemo<Scope>(() => {
    const venues = data?.venues ?? [];
    const halls = venues.flatMap((v) => v.halls.map((h) => ({ ...h, venue_id: v.venue_id, venue_name: v.name })));
    const inScope = new Set(halls.map((h) => h.hall_id));
    const events = (data?.events ?? []).filter((e) => inScope.has(e.hall_id));
    return {
      venues,
      halls,
      events,
      error,
      loaded: data !== undefined,
      reload,
      eventId: eventId && events.some((e) => e.event_id === eventId) ? eventId : (events[0]?.event_id ?? null),
      setEventId: (id) => {
        localStorage.setItem(EVENT_KEY, id);
        setEvent(id);
      },
    };
  }, [data, error, eventId]);
  return <ScopeContext.Provider value={value}>{children}</ScopeContext.Provider>;
}

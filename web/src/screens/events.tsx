import { ApiError, type EventSummary } from '@ticketgate/ui/api';
import { dateInWords, money, relativeInWords } from '@ticketgate/ui/time';
import { useEffect, useState } from 'preact/hooks';
import { filterEvents, upcomingEvents } from '../events-cache.js';
import { useLoad } from '../hooks.js';
import { Link } from '../router.js';
import { api, useUser } from '../session.js';
import { ErrorNote, Loading, Screen } from '../ui.js';

/**
 * Optional server features: the search and recommendation endpoints answer
 * NOT_FOUND on a server without them, and the app then keeps to its plain
 * filter and hides recommendations (asked once per load).
 */
let searchEndpoint = true;
let recommendEndpoint = true;

async function serverSearch(query: string): Promise<string[] | null> {
  if (!searchEndpoint) return null;
  try {
    const r = await api.raw<{ results: { id: string }[] }>('POST', '/api/search-events', { query });
    return r.results.map((x) => x.id);
  } catch (err) {
    if (err instanceof ApiError && err.code === 'NOT_FOUND') searchEndpoint = false;
    return null;
  }
}

async function recommendations(userId: string): Promise<string[]> {
  if (!recommendEndpoint) return [];
  try {
    const r = await api.raw<{ recommendations: string[] }>('POST', '/api/recommend-events', { user_id: userId });
    return r.recommendations;
  } catch (err) {
    if (err instanceof ApiError && err.code === 'NOT_FOUND') recommendEndpoint = false;
    return [];
  }
}

function EventCard({ e }: { e: EventSummary }) {
  const prices = Object.values(e.pricing_tiers);
  const from = prices.length ? Math.min(...prices) : null;
  return (
    <li class="card event-card">
      <Link href={`/events/${e.event_id}`}>
        <h2>{e.name}</h2>
      </Link>
      <p>
        {dateInWords(e.event_date)} <span class="muted">({relativeInWords(e.event_date)})</span>
      </p>
      <p>
        {e.venue.name} · {e.hall_id}
      </p>
      <p class="muted">
        {e.available_seats.toLocaleString()} of {e.total_seats.toLocaleString()} seats free{from !== null ? ` · from ${money(from)}` : ''}
      </p>
    </li>
  );
}

export function Events() {
  const user = useUser();
  const { data: events, error } = useLoad(() => upcomingEvents(true), []);
  const [query, setQuery] = useState('');
  const [shown, setShown] = useState<EventSummary[] | null>(null);
  const [recommended, setRecommended] = useState<EventSummary[]>([]);

  useEffect(() => {
    if (!events) return;
    let live = true;
    const search = async () => {
      const ids = query.trim() ? await serverSearch(query.trim()) : null;
      if (!live) return;
      setShown(ids ? events.filter((e) => ids.includes(e.event_id)) : filterEvents(events, query));
    };
    const t = setTimeout(() => void search(), 150);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [events, query]);

  useEffect(() => {
    if (!events || !user) return;
    void recommendations(user.user_id).then((ids) => setRecommended(events.filter((e) => ids.includes(e.event_id))));
  }, [events, user]);

  return (
    <Screen title="Upcoming events">
      <label class="search">
        <span>Search events</span>
        <input type="search" placeholder="Name, venue, hall or date" value={query} onInput={(e) => setQuery(e.currentTarget.value)} />
      </label>
      <ErrorNote text={error} />
      {recommended.length > 0 && !query ? (
        <>
          <h2 class="section">Recommended for you</h2>
          <ul class="list">
            {recommended.map((e) => (
              <EventCard key={e.event_id} e={e} />
            ))}
          </ul>
        </>
      ) : null}
      {!events && !error ? <Loading what="events" /> : null}
      {shown ? (
        <>
          <p class="muted" role="status">
            {shown.length} event{shown.length === 1 ? '' : 's'}
            {query ? ` matching “${query}”` : ''}
          </p>
          <ul class="list">
            {shown.map((e) => (
              <EventCard key={e.event_id} e={e} />
            ))}
          </ul>
        </>
      ) : null}
    </Screen>
  );
}

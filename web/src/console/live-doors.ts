import type { opsLive } from '@ticketgate/protocol';
import { useEffect, useState } from 'preact/hooks';
import { api } from './api.js';

export type LinkState = 'connecting' | 'live' | 'reconnecting' | 'ended';

/** After a failure, wait this long (doubling up to the cap) before asking for a new ticket and reconnecting. */
const RETRY_MS = 1000;
const RETRY_MAX_MS = 15_000;

/**
 * The event's door figures from the server's live stream (GET /api/ops/live).
 * EventSource sends no Authorization header, so each connection first gets a
 * one-minute stream ticket with the access token; when the stream fails it is
 * closed and reopened with a fresh ticket (EventSource's own retry would reuse
 * the expired one). It ends for good when the server closes it for the session.
 */
export function useLiveDoors(eventId: string | null): { snapshot: opsLive.LiveSnapshot | null; state: LinkState } {
  const [snapshot, setSnapshot] = useState<opsLive.LiveSnapshot | null>(null);
  const [state, setState] = useState<LinkState>('connecting');
  useEffect(() => {
    if (!eventId) return;
    let stopped = false;
    let source: EventSource | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let delay = RETRY_MS;
    setSnapshot(null);
    setState('connecting');

    const retry = () => {
      source?.close();
      source = null;
      if (stopped) return;
      setState('reconnecting');
      timer = setTimeout(() => void connect(), delay);
      delay = Math.min(delay * 2, RETRY_MAX_MS);
    };
    const connect = async () => {
      let ticket: opsLive.LiveTicket;
      try {
        ticket = await api.post<opsLive.LiveTicket>('/api/ops/live/tickets');
      } catch {
        return retry();
      }
      if (stopped) return;
      const q = new URLSearchParams({ event_id: eventId, ticket: ticket.ticket });
      const es = new EventSource(`/api/ops/live?${q.toString()}`);
      source = es;
      es.addEventListener('snapshot', (e) => {
        delay = RETRY_MS;
        setState('live');
        setSnapshot(JSON.parse((e as MessageEvent<string>).data) as opsLive.LiveSnapshot);
      });
      es.addEventListener('closed', () => {
        es.close();
        if (!stopped) setState('ended');
      });
      es.onerror = () => {
        if (source === es) retry();
      };
    };
    void connect();
    return () => {
      stopped = true;
      clearTimeout(timer);
      source?.close();
    };
  }, [eventId]);
  return { snapshot, state };
}

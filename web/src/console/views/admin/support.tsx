import type { ChatHistory, ChatMessage, SupportEscalation } from '@ticketgate/ui/api';
import { errorText } from '@ticketgate/ui/errors';
import { useEffect, useState } from 'preact/hooks';
import { ErrorNote, Screen } from '../../../ui.js';
import { api, useUser } from '../../api.js';
import { useLiveSocket, type SocketState } from '../../live-socket.js';
import { StatePill } from '../../parts/state-pill.js';
import { useScope } from '../../scope.js';

const when = (iso: string) => `${iso.slice(11, 16)} UTC, ${iso.slice(0, 10)}`;
const LIVE_WORDS: Record<SocketState, [tone: 'ok' | 'warn' | 'bad', text: string]> = {
  live: ['ok', 'Live'],
  connecting: ['warn', 'Connecting…'],
  offline: ['bad', 'Offline, reconnecting'],
};

function LiveBadge({ state }: { state: SocketState }) {
  const [tone, text] = LIVE_WORDS[state];
  return <StatePill tone={tone} text={text} />;
}

/** One conversation: its history, new messages live over the conversation socket, and a reply box that answers as support. */
function Conversation({ escalation }: { escalation: SupportEscalation }) {
  const user = useUser();
  const id = escalation.conversation_id;
  const [messages, setMessages] = useState<ChatMessage[]>([]);
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setMessages([]);
    api.raw<ChatHistory>('GET', `/api/chat/${encodeURIComponent(id)}/history?limit=200`).then(
      (h) => setMessages((live) => merge(h.messages, live)),
      (err: unknown) => setError(errorText(err)),
    );
  }, [id]);
  const state = useLiveSocket(user ? `/api/ws/chat/${encodeURIComponent(id)}/${user.user_id}` : null, (f) => {
    if (f.type === 'message') setMessages((m) => merge(m, [f as unknown as ChatMessage]));
  });
  const send = async (e: Event) => {
    e.preventDefault();
    const content = text.trim();
    if (!content) return;
    try {
      await api.raw('POST', `/api/chat/${encodeURIComponent(id)}/messages`, { content, sender_type: 'agent' });
      setText('');
      setError(null);
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <section class="card conversation" aria-labelledby="conversation-title">
      <h2 id="conversation-title">
        Conversation {id} <LiveBadge state={state} />
      </h2>
      <p>
        Escalated {when(escalation.timestamp)}: <strong>{escalation.reason}</strong>
      </p>
      <ol class="chat" aria-live="polite" aria-label="Messages">
        {messages.length ? (
          messages.map((m) => (
            // The fan app's bubbles seen from this side: support's own messages on the right.
            <li key={m.id} class={m.sender_type === 'agent' ? 'from-me' : 'from-agent'} data-sender={m.sender_type}>
              <span class="sr-only">{m.sender_type === 'agent' ? 'Support:' : 'Fan:'}</span>
              {m.content}
              <time class="muted">{when(m.timestamp)}</time>
            </li>
          ))
        ) : (
          <li class="muted">No messages yet.</li>
        )}
      </ol>
      <form class="form chat-form" onSubmit={(e) => void send(e)}>
        <label>
          Reply as support
          <textarea value={text} onInput={(e) => setText(e.currentTarget.value)} maxLength={4000} rows={2} required />
        </label>
        <button type="submit" class="primary">
          Send reply
        </button>
      </form>
      <ErrorNote text={error} />
    </section>
  );
}

/** Messages by id in time order: the history and live frames may overlap. */
function merge(a: ChatMessage[], b: ChatMessage[]): ChatMessage[] {
  const byId = new Map([...a, ...b].map((m) => [m.id, m]));
  return [...byId.values()].sort((x, y) => x.timestamp.localeCompare(y.timestamp) || x.id.localeCompare(y.id));
}

/** Conversations fans handed to a person, for the operator's venues: new ones arrive live (support socket), answered here. */
export function SupportView() {
  const scope = useScope();
  const [list, setList] = useState<SupportEscalation[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<SupportEscalation | null>(null);
  useEffect(() => {
    api.raw<{ escalations: SupportEscalation[] }>('GET', '/api/support/escalations?limit=100').then(
      (r) => setList((live) => [...(live ?? []), ...r.escalations.filter((e) => !live?.some((l) => l.id === e.id))]),
      (err: unknown) => setError(errorText(err)),
    );
  }, []);
  const state = useLiveSocket('/api/ws/support', (f) => {
    if (f.type !== 'escalation') return;
    const e = f as unknown as SupportEscalation;
    setList((l) => (l?.some((x) => x.id === e.id) ? l : [e, ...(l ?? [])]));
  });
  // Live frames carry the metadata only: the venue is the one it names, or its event's.
  const venueName = (e: SupportEscalation) => {
    const named = (k: string) => (typeof e.metadata[k] === 'string' ? (e.metadata[k] as string) : null);
    const v = e.venue_id ?? named('venue_id') ?? scope.events.find((x) => x.event_id === named('event_id'))?.venue.venue_id ?? null;
    return scope.venues.find((x) => x.venue_id === v)?.name ?? (v ? 'Another venue' : 'No venue named');
  };
  return (
    <Screen title="Support escalations">
      <p>
        <LiveBadge state={state} /> New escalations appear here as fans ask for a person.
      </p>
      <ErrorNote text={error} />
      <div class="grid-2">
        <section aria-labelledby="escalation-list">
          <h2 id="escalation-list">Escalations{list ? ` (${list.length})` : ''}</h2>
          {list && list.length === 0 ? <p class="muted">No escalations.</p> : null}
          <ul class="escalations" data-list="escalations">
            {(list ?? []).map((e) => (
              <li key={e.id}>
                <button type="button" aria-pressed={open?.id === e.id} onClick={() => setOpen(e)}>
                  <strong>{e.reason}</strong>
                  <span class="muted">
                    {' '}
                    {venueName(e)} · {when(e.timestamp)}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        </section>
        {open ? <Conversation key={open.conversation_id} escalation={open} /> : <p class="muted">Choose an escalation to answer it.</p>}
      </div>
    </Screen>
  );
}

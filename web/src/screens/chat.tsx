import type { ChatHistory } from '@ticketgate/ui/api';
import { errorText } from '@ticketgate/ui/errors';
import { useState } from 'preact/hooks';
import { useVisiblePoll } from '../hooks.js';
import { api, useUser } from '../session.js';
import { ErrorNote, Note, Screen } from '../ui.js';

/** Polling interval of the conversation (the server offers chat over HTTP only). */
const CHAT_POLL_MS = 4000;

/** Support chat: one conversation per fan, answered by staff; "ask a person" escalates it. */
export function Chat() {
  const user = useUser();
  const conversation = `support-${user?.user_id ?? ''}`;
  const [history, setHistory] = useState<ChatHistory | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [text, setText] = useState('');

  useVisiblePoll(
    async () => {
      try {
        setHistory(await api.raw<ChatHistory>('GET', `/api/chat/${conversation}/history?limit=100`));
        setError(null);
      } catch (err) {
        // A conversation nobody has written in yet is simply empty.
        if ((err as { code?: string }).code === 'NOT_FOUND' || (err as { code?: string }).code === 'FORBIDDEN')
          setHistory({ conversation_id: conversation, messages: [], count: 0 });
        else setError(errorText(err));
      }
    },
    CHAT_POLL_MS,
    [conversation],
  );

  const send = async (e: Event) => {
    e.preventDefault();
    const content = text.trim();
    if (!content) return;
    try {
      await api.raw('POST', `/api/chat/${conversation}/messages`, { content });
      setText('');
      setHistory(await api.raw<ChatHistory>('GET', `/api/chat/${conversation}/history?limit=100`));
    } catch (err) {
      setError(errorText(err));
    }
  };
  const escalate = async () => {
    try {
      await api.raw('POST', `/api/chat/${conversation}/escalate`, { reason: 'Fan asked for a person' });
      setNote('A member of our support team will answer here.');
    } catch (err) {
      setError(errorText(err));
    }
  };

  return (
    <Screen title="Help">
      <ol class="chat card" aria-live="polite" aria-label="Conversation with support">
        {history?.messages.length ? (
          history.messages.map((m) => (
            <li key={m.id} class={m.sender_type === 'agent' ? 'from-agent' : 'from-me'}>
              <span class="sr-only">{m.sender_type === 'agent' ? 'Support:' : 'You:'}</span>
              {m.content}
              <time class="muted">{new Date(m.timestamp).toLocaleTimeString()}</time>
            </li>
          ))
        ) : (
          <li class="muted">Ask us anything about your tickets, payments or transfers.</li>
        )}
      </ol>
      <form class="form chat-form" onSubmit={(e) => void send(e)}>
        <label>
          Message
          <textarea value={text} onInput={(e) => setText(e.currentTarget.value)} maxLength={4000} rows={2} required />
        </label>
        <button type="submit" class="primary">
          Send
        </button>
        <button type="button" onClick={() => void escalate()}>
          Ask a person
        </button>
      </form>
      <Note text={note} />
      <ErrorNote text={error} />
    </Screen>
  );
}

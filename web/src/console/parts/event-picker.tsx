import { dateInWords } from '@ticketgate/ui/time';
import { useScope } from '../scope.js';

/** The event the show-day views look at: one of the upcoming events in the operator's halls. */
export function EventPicker() {
  const scope = useScope();
  if (!scope.loaded) return null;
  if (scope.events.length === 0) return <p class="muted">No upcoming events in your venues.</p>;
  return (
    <label>
      Event
      <select value={scope.eventId ?? ''} onChange={(e) => scope.setEventId((e.currentTarget as HTMLSelectElement).value)}>
        {scope.events.map((e) => (
          <option key={e.event_id} value={e.event_id}>
            {e.name} · {e.hall_id} · {dateInWords(e.event_date)}
          </option>
        ))}
      </select>
    </label>
  );
}

import type { JSX } from 'preact';
import { useScope } from '../scope.js';

type SelectProps = Omit<JSX.SelectHTMLAttributes<HTMLSelectElement>, 'children'> & { name: string };

/** A form's choice of one of the caller's venues (their scope; the server checks it again). */
export function VenueSelect({ label = 'Venue', ...select }: SelectProps & { label?: string }) {
  const scope = useScope();
  return (
    <label>
      {label}
      <select {...select}>
        {scope.venues.map((v) => (
          <option key={v.venue_id} value={v.venue_id}>
            {v.name}
          </option>
        ))}
      </select>
    </label>
  );
}

/** A form's choice of one of the upcoming events in the caller's halls, optionally with its hall. */
export function EventSelect({ label = 'Event', withHall = false, ...select }: SelectProps & { label?: string; withHall?: boolean }) {
  const scope = useScope();
  return (
    <label>
      {label}
      <select {...select}>
        {scope.events.map((e) => (
          <option key={e.event_id} value={e.event_id}>
            {withHall ? `${e.name} · ${e.hall_id}` : e.name}
          </option>
        ))}
      </select>
    </label>
  );
}

import { useState } from 'preact/hooks';
import { useSubmit } from '../../hooks.js';
import { ErrorNote, Note, formValues } from '../../ui.js';
import { api, opsErrorText } from '../api.js';
import { useScope } from '../scope.js';

/** POST /api/ops/venues: an operator's new venue is assigned to them; the scope reloads so it shows at once. */
export function AddVenueForm() {
  const scope = useScope();
  const { busy, error, run } = useSubmit(opsErrorText);
  const [done, setDone] = useState<string | null>(null);
  const submit = (e: Event) => {
    const f = formValues(e);
    const form = e.currentTarget as HTMLFormElement;
    return run(async () => {
      const v = await api.post<{ name: string }>('/api/ops/venues', { name: f.name, address: f.address, city: f.city });
      setDone(`Venue ${v.name} added.`);
      form.reset();
      scope.reload();
    });
  };
  return (
    <form class="card form" aria-labelledby="add-venue-title" onSubmit={(e) => void submit(e)}>
      <h2 id="add-venue-title">Add a venue</h2>
      <label>
        Name
        <input name="name" required maxLength={200} />
      </label>
      <label>
        Address
        <input name="address" maxLength={500} />
      </label>
      <label>
        City
        <input name="city" maxLength={100} />
      </label>
      <button type="submit" class="primary" disabled={busy}>
        Add venue
      </button>
      <Note text={done} />
      <ErrorNote text={error} />
    </form>
  );
}

/** POST /api/ops/halls: a hall of one of the operator's venues, with its public code (the one gates and tickets name). */
export function AddHallForm() {
  const scope = useScope();
  const { busy, error, run } = useSubmit(opsErrorText);
  const [done, setDone] = useState<string | null>(null);
  const submit = (e: Event) => {
    const f = formValues(e);
    const form = e.currentTarget as HTMLFormElement;
    return run(async () => {
      const h = await api.post<{ hall_id: string }>('/api/ops/halls', { venue_id: f.venue, hall_id: f.code, name: f.name });
      setDone(`Hall ${h.hall_id} added.`);
      form.reset();
      scope.reload();
    });
  };
  return (
    <form class="card form" aria-labelledby="add-hall-title" onSubmit={(e) => void submit(e)}>
      <h2 id="add-hall-title">Add a hall</h2>
      <label>
        Venue
        <select name="venue" required>
          {scope.venues.map((v) => (
            <option key={v.venue_id} value={v.venue_id}>
              {v.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Hall code <span class="muted">(1-8 of A-Z, 0-9, -; for example HALL-C)</span>
        <input name="code" required pattern="[A-Z0-9\-]{1,8}" maxLength={8} />
      </label>
      <label>
        Name
        <input name="name" required maxLength={200} />
      </label>
      <button type="submit" class="primary" disabled={busy || scope.venues.length === 0}>
        Add hall
      </button>
      <Note text={done} />
      <ErrorNote text={error} />
    </form>
  );
}

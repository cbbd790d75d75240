import { useState } from 'preact/hooks';
import { useSubmit } from '../../hooks.js';
import { ErrorNote, Note, formValues } from '../../ui.js';
import { api, opsErrorText } from '../api.js';
import { useScope } from '../scope.js';
import { VenueSelect } from './scope-select.js';

/**
 * A catalog addition: the form's fields to one POST, the confirmation in
 * words, the form cleared and the venue scope reloaded so the addition shows at once.
 */
function useCatalogAdd(add: (f: Record<string, string>) => Promise<string>) {
  const scope = useScope();
  const { busy, error, run } = useSubmit(opsErrorText);
  const [done, setDone] = useState<string | null>(null);
  const submit = (e: Event) => {
    const f = formValues(e);
    const form = e.currentTarget as HTMLFormElement;
    return run(async () => {
      setDone(await add(f));
      form.reset();
      scope.reload();
    });
  };
  return { scope, busy, error, done, submit };
}

/** POST /api/ops/venues: an operator's new venue is assigned to them; the scope reloads so it shows at once. */
export function AddVenueForm() {
  const { busy, error, done, submit } = useCatalogAdd(async (f) => {
    const v = await api.post<{ name: string }>('/api/ops/venues', { name: f.name, address: f.address, city: f.city });
    return `Venue ${v.name} added.`;
  });
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
  const { scope, busy, error, done, submit } = useCatalogAdd(async (f) => {
    const h = await api.post<{ hall_id: string }>('/api/ops/halls', { venue_id: f.venue, hall_id: f.code, name: f.name });
    return `Hall ${h.hall_id} added.`;
  });
  return (
    <form class="card form" aria-labelledby="add-hall-title" onSubmit={(e) => void submit(e)}>
      <h2 id="add-hall-title">Add a hall</h2>
      <VenueSelect name="venue" required />
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

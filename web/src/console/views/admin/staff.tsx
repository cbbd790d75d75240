import type { FoundUser, Role, RoleChange, VenueAssignment } from '@ticketgate/ui/api';
import { errorText } from '@ticketgate/ui/errors';
import { useState } from 'preact/hooks';
import { useLoad } from '../../../hooks.js';
import { ErrorNote, Note, Screen, formValues } from '../../../ui.js';
import { api } from '../../api.js';
import { ConfirmAction } from '../../parts/confirm-action.js';
import { DataTable } from '../../parts/data-table.js';
import { useScope } from '../../scope.js';
import { VenueSelect } from '../../parts/scope-select.js';

const ROLE_WORDS: Record<Role, string> = { fan: 'Fan', staff: 'Staff (door)', operator: 'Operator', admin: 'Admin' };

/** The account with this exact email (the server's lookup), or an error saying there is none. */
const lookup = (email: string) => api.post<FoundUser>('/api/users/lookup', { email });

/** Staff and operators per venue (admins): add and remove assignments, change roles. */
export function StaffView() {
  const scope = useScope();
  const list = useLoad(() => api.get<VenueAssignment[]>('/api/admin/venue-assignments'), []);
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const act = (fn: () => Promise<string>) => async (e: Event) => {
    const form = e.currentTarget as HTMLFormElement;
    setError(null);
    try {
      setNote(await fn());
      form.reset();
      list.reload();
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <Screen title="Staff and venues">
      <Note text={note} />
      <ErrorNote text={error ?? list.error} />
      <DataTable
        caption="Venue assignments"
        label="assignments"
        columns={[
          { title: 'Account', cell: (a) => a.email },
          { title: 'Role', cell: (a) => ROLE_WORDS[a.role as Role] ?? a.role },
          { title: 'Venue', cell: (a) => a.venue_name },
          { title: 'Since', cell: (a) => a.created_at.slice(0, 10) },
          {
            title: 'Change',
            cell: (a) => (
              <ConfirmAction
                label={`Remove ${a.email} from ${a.venue_name}`}
                danger
                consequence={`${a.email} can no longer see or act for ${a.venue_name}.`}
                confirmLabel="Remove"
                onConfirm={async () => {
                  await api.call('DELETE', `/api/admin/venue-assignments/${a.user_id}/${a.venue_id}`, { auth: true });
                  setNote(`${a.email} removed from ${a.venue_name}.`);
                  list.reload();
                }}
              />
            ),
          },
        ]}
        rows={list.data ?? []}
        rowKey={(a) => `${a.user_id}:${a.venue_id}`}
        empty={list.data ? 'Nobody is assigned yet.' : 'Loading…'}
      />
      <div class="grid-2">
        <form
          class="form card"
          aria-labelledby="assign-title"
          onSubmit={(e) => {
            const v = formValues(e);
            void act(async () => {
              const user = await lookup(v.email!);
              await api.post('/api/admin/venue-assignments', { user_id: user.user_id, venue_id: v.venue_id });
              return `${v.email} assigned to ${scope.venues.find((x) => x.venue_id === v.venue_id)?.name ?? 'the venue'}.`;
            })(e);
          }}
        >
          <h2 id="assign-title">Assign to a venue</h2>
          <label>
            Email of a staff or operator account
            <input name="email" type="email" required autoComplete="off" />
          </label>
          <VenueSelect name="venue_id" required />
          <button type="submit" class="primary">
            Assign
          </button>
        </form>
        <form
          class="form card"
          aria-labelledby="role-title"
          onSubmit={(e) => {
            const v = formValues(e);
            void act(async () => {
              const user = await lookup(v.email!);
              const change = await api.post<RoleChange>(`/api/admin/users/${user.user_id}/role`, { role: v.role });
              return `${v.email}: ${ROLE_WORDS[change.from]} → ${ROLE_WORDS[change.to]}.`;
            })(e);
          }}
        >
          <h2 id="role-title">Change a role</h2>
          <label>
            Email of the account
            <input name="email" type="email" required autoComplete="off" />
          </label>
          <label>
            New role
            <select name="role" required>
              {(Object.keys(ROLE_WORDS) as Role[]).map((r) => (
                <option key={r} value={r}>
                  {ROLE_WORDS[r]}
                </option>
              ))}
            </select>
          </label>
          <p class="muted">Staff and operators see only the venues they are assigned to; admins see every venue.</p>
          <button type="submit" class="primary">
            Change role
          </button>
        </form>
      </div>
    </Screen>
  );
}

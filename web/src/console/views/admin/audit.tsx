import type { AuditRecord } from '@ticketgate/ui/api';
import { useState } from 'preact/hooks';
import { useLoad } from '../../../hooks.js';
import { ErrorNote, Screen, formValues } from '../../../ui.js';
import { api } from '../../api.js';
import { DataTable } from '../../parts/data-table.js';
import { Pager } from '../../parts/pager.js';
import { ShortId } from '../../parts/short-id.js';
import { detailsInWords, utcMinute } from '../../record-text.js';

const PER_PAGE = 25;
/** The privileged actions the server records, in words (an action not listed is shown by its name). */
const ACTION_WORDS: Record<string, string> = {
  'transfer.reverse': 'Transfer reversed',
  'transfer.uphold': 'Transfer upheld',
  'device.revoke': 'Gate revoked',
  'key.rotate_issuing': 'Issuing key rotated',
  'key.rotate_gate': 'Gate key rotated',
  'venue_assignment.add': 'Venue assigned',
  'venue_assignment.remove': 'Venue assignment removed',
  'user.role_change': 'Role changed',
  'outbox.read': 'SMS outbox read',
};

type Filters = Record<'action' | 'actor_id' | 'target_id' | 'since' | 'until', string>;
const EMPTY: Filters = { action: '', actor_id: '', target_id: '', since: '', until: '' };

function query(f: Filters, page: number): string {
  const q = new URLSearchParams({ page: String(page), per_page: String(PER_PAGE) });
  if (f.action) q.set('action', f.action);
  if (f.actor_id) q.set('actor_id', f.actor_id);
  if (f.target_id) q.set('target_id', f.target_id);
  // Whole UTC days: from the start of `since` to the end of `until`.
  if (f.since) q.set('since', `${f.since}T00:00:00Z`);
  if (f.until) q.set('until', new Date(Date.parse(`${f.until}T00:00:00Z`) + 86_400_000).toISOString());
  return q.toString();
}

/** The audit trail of privileged actions (admins), filtered and paged by the server. */
export function AuditView() {
  const [filters, setFilters] = useState<Filters>(EMPTY);
  const [page, setPage] = useState(1);
  const log = useLoad(() => api.page<AuditRecord>(`/api/admin/audit?${query(filters, page)}`), [filters, page]);
  return (
    <Screen title="Audit log">
      <form
        class="toolbar"
        aria-label="Filter the audit log"
        onSubmit={(e) => {
          setFilters({ ...EMPTY, ...formValues(e) });
          setPage(1);
        }}
      >
        <label>
          Action
          <select name="action" defaultValue={filters.action}>
            <option value="">Any</option>
            {Object.entries(ACTION_WORDS).map(([a, words]) => (
              <option key={a} value={a}>
                {words}
              </option>
            ))}
          </select>
        </label>
        <label>
          By user id
          <input name="actor_id" defaultValue={filters.actor_id} pattern="[0-9a-fA-F-]{36}" size={20} />
        </label>
        <label>
          Target id
          <input name="target_id" defaultValue={filters.target_id} maxLength={128} size={20} />
        </label>
        <label>
          From (UTC day)
          <input name="since" type="date" defaultValue={filters.since} />
        </label>
        <label>
          To (UTC day)
          <input name="until" type="date" defaultValue={filters.until} />
        </label>
        <button type="submit" class="primary">
          Apply filters
        </button>
      </form>
      <ErrorNote text={log.error} />
      <DataTable
        caption={log.data ? `Audit records (${log.data.pagination.total})` : 'Audit records'}
        label="audit"
        columns={[
          { title: 'When', cell: (r) => utcMinute(r.at) },
          { title: 'Action', cell: (r) => ACTION_WORDS[r.action] ?? r.action },
          {
            title: 'By',
            cell: (r) =>
              r.actor_id ? (
                <>
                  <ShortId id={r.actor_id} /> ({r.actor_role})
                </>
              ) : (
                'the server'
              ),
          },
          {
            title: 'Target',
            cell: (r) => (
              <>
                {r.target_type} <ShortId id={r.target_id} />
              </>
            ),
          },
          { title: 'Details', cell: (r) => detailsInWords(r.details) },
        ]}
        rows={log.data?.data ?? []}
        rowKey={(r) => String(r.id)}
        empty={log.data ? 'No records match.' : 'Loading…'}
      />
      <Pager pagination={log.data?.pagination} onPage={setPage} />
    </Screen>
  );
}

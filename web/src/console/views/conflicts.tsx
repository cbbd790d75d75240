import type { sync } from '@ticketgate/protocol';
import { useState } from 'preact/hooks';
import { useVisiblePoll } from '../../hooks.js';
import { ErrorNote, Screen } from '../../ui.js';
import { api, opsErrorText } from '../api.js';
import { admissionText } from '../admission-text.js';
import { DataTable } from '../parts/data-table.js';
import { EventPicker } from '../parts/event-picker.js';
import { useScope } from '../scope.js';

/** Conflicts arrive when an offline gate reconnects and uploads: re-read often enough that one shows within seconds. */
const CONFLICTS_POLL_MS = 3000;

/** Double admissions of the event: the seat, the first admission (canonical) and the later one, with where and when. */
/** `refreshKey` re-reads at once when it changes (the live view passes the conflict count of its stream). */
export function ConflictsTable({ eventId, refreshKey }: { eventId: string; refreshKey?: number }) {
  const [rows, setRows] = useState<sync.ConflictView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useVisiblePoll(
    async () => {
      try {
        setRows((await api.page<sync.ConflictView>(`/api/sync/conflicts?event_id=${eventId}&per_page=100`)).data);
        setError(null);
      } catch (err) {
        setError(opsErrorText(err));
      }
    },
    CONFLICTS_POLL_MS,
    [eventId, refreshKey],
  );
  return (
    <>
      <ErrorNote text={error} />
      <DataTable
        caption={rows ? `Double admissions (${rows.length})` : 'Double admissions'}
        label="conflicts"
        columns={[
          { title: 'Seat', cell: (c) => `Row ${c.row}, seat ${c.number} (${c.category})` },
          { title: 'First admission', cell: (c) => admissionText(c.canonical) },
          { title: 'Second admission', cell: (c) => admissionText(c.conflict) },
          { title: 'Reported', cell: (c) => new Date(c.conflict.received_at).toISOString().slice(11, 19) + ' UTC' },
        ]}
        rows={rows ?? []}
        rowKey={(c) => c.scan_id}
        empty={rows ? 'No double admissions.' : 'Loading…'}
      />
    </>
  );
}

export function ConflictsView() {
  const scope = useScope();
  return (
    <Screen title="Conflicts">
      <div class="toolbar">
        <EventPicker />
      </div>
      <p class="muted">
        A ticket admitted twice (usually by two gates that were offline at the time) shows here once the second gate has reconnected.
      </p>
      {scope.eventId ? <ConflictsTable eventId={scope.eventId} /> : null}
    </Screen>
  );
}

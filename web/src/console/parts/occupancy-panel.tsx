import { ApiError } from '@ticketgate/ui/api';
import { useState } from 'preact/hooks';
import { useVisiblePoll } from '../../hooks.js';
import { ErrorNote } from '../../ui.js';
import { api, opsErrorText } from '../api.js';
import { DataTable } from './data-table.js';

/** GET /api/sync/occupancy?event_id= (entry and exit counting): who is inside each hall and zone. */
export interface Occupancy {
  event_id: string;
  halls: {
    hall_id: string;
    hall_name: string;
    inside: number;
    entries: number;
    exits: number;
    zones: { zone: string; inside: number }[];
  }[];
}

const OCCUPANCY_POLL_MS = 3000;

/** Occupancy per hall and zone; "unavailable" while the server has no occupancy endpoint (404), rather than a made-up figure. */
export function OccupancyPanel({ eventId }: { eventId: string }) {
  const [data, setData] = useState<Occupancy | null>(null);
  const [unavailable, setUnavailable] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useVisiblePoll(
    async () => {
      try {
        setData(await api.get<Occupancy>(`/api/sync/occupancy?event_id=${eventId}`));
        setUnavailable(false);
        setError(null);
      } catch (err) {
        if (err instanceof ApiError && err.status === 404 && err.code === 'NOT_FOUND') setUnavailable(true);
        else setError(opsErrorText(err));
      }
    },
    OCCUPANCY_POLL_MS,
    [eventId],
  );
  return (
    <section class="card" aria-labelledby="occupancy-title" data-occupancy={unavailable ? 'unavailable' : data ? 'shown' : 'loading'}>
      <h2 id="occupancy-title">Occupancy</h2>
      <ErrorNote text={error} />
      {unavailable ? (
        <p class="muted">Occupancy unavailable: this server does not count exits yet.</p>
      ) : data ? (
        <DataTable
          caption="Inside now, by hall and zone"
          label="occupancy"
          columns={[
            { title: 'Hall', cell: (h) => h.hall_name },
            { title: 'Inside', num: true, cell: (h) => h.inside },
            { title: 'Entries', num: true, cell: (h) => h.entries },
            { title: 'Exits', num: true, cell: (h) => h.exits },
            { title: 'Zones', cell: (h) => h.zones.map((z) => `${z.zone}: ${z.inside}`).join(', ') || '–' },
          ]}
          rows={data.halls}
          rowKey={(h) => h.hall_id}
          empty="No halls."
        />
      ) : (
        <p class="muted">Loading…</p>
      )}
    </section>
  );
}

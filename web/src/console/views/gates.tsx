import type { sync } from '@ticketgate/protocol';
import { enrolmentLinkText } from '@ticketgate/ui';
import { QrCode } from '@ticketgate/ui/qr';
import { dateInWords } from '@ticketgate/ui/time';
import { useState } from 'preact/hooks';
import { useVisiblePoll } from '../../hooks.js';
import { ErrorNote, Screen, formValues } from '../../ui.js';
import { api, opsErrorText } from '../api.js';
import { agoText, deviceProblems, deviceState, offsetText, type DeviceState } from '../device-state.js';
import { DataTable } from '../parts/data-table.js';
import { StatePill, type PillTone } from '../parts/state-pill.js';
import { useScope } from '../scope.js';

/** How often the device list is re-read: a gate reports on every pull (at least every 15 s). */
const DEVICES_POLL_MS = 2000;
const TONE: Record<DeviceState, PillTone> = { online: 'ok', degraded: 'warn', offline: 'bad', revoked: 'off' };

interface Enrolment {
  code: string;
  hall_id: string;
  expires_at: string;
}

function EnrolmentCard() {
  const scope = useScope();
  const [code, setCode] = useState<Enrolment | null>(null);
  const [error, setError] = useState<string | null>(null);
  const create = async (e: Event) => {
    const f = formValues(e);
    setError(null);
    try {
      setCode(await api.post<Enrolment>('/api/sync/enrolments', { hall_id: f.hall, ttl_minutes: Number(f.ttl) }));
    } catch (err) {
      setError(opsErrorText(err));
    }
  };
  return (
    <section class="card" aria-labelledby="enrol-title">
      <h2 id="enrol-title">Enrol a gate</h2>
      <form class="toolbar" onSubmit={(e) => void create(e)}>
        <label>
          Hall
          <select name="hall">
            {scope.halls.map((h) => (
              <option key={h.hall_id} value={h.hall_id}>
                {h.venue_name} · {h.name} ({h.hall_id})
              </option>
            ))}
          </select>
        </label>
        <label>
          Valid for (minutes)
          <input name="ttl" type="number" min={1} max={10080} defaultValue="60" />
        </label>
        <button type="submit" class="primary" disabled={scope.halls.length === 0}>
          Create enrolment code
        </button>
      </form>
      <ErrorNote text={error} />
      {code ? (
        <div class="enrolment" data-enrolment-code={code.code}>
          <p>
            Type this code on the gate, or show the QR to its camera or scanner. It works once, for hall {code.hall_id}, until{' '}
            {dateInWords(code.expires_at)}.
          </p>
          <p class="enrolment-code" aria-label="Enrolment code">
            {code.code}
          </p>
          <QrCode
            text={enrolmentLinkText({ code: code.code, server: location.origin })}
            size={220}
            label={`Enrolment QR for ${code.code}`}
          />
        </div>
      ) : null}
    </section>
  );
}

function RevokeButton({ device, onDone }: { device: sync.DeviceView; onDone: () => void }) {
  const [asking, setAsking] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (device.status === 'REVOKED') return <span class="muted">revoked {device.revoked_at ? dateInWords(device.revoked_at) : ''}</span>;
  if (!asking)
    return (
      <button type="button" onClick={() => setAsking(true)} aria-label={`Revoke ${device.name}`}>
        Revoke
      </button>
    );
  const revoke = async () => {
    try {
      await api.post(`/api/sync/devices/${device.device_id}/revoke`);
      setAsking(false);
      onDone();
    } catch (err) {
      setError(opsErrorText(err));
    }
  };
  return (
    <div class="confirm card" role="group" aria-label={`Confirm revoking ${device.name}`}>
      <p>Revoke {device.name}? It stops admitting at once and must be enrolled again.</p>
      <button type="button" class="primary" onClick={() => void revoke()}>
        Yes, revoke {device.name}
      </button>{' '}
      <button type="button" onClick={() => setAsking(false)}>
        Cancel
      </button>
      <ErrorNote text={error} />
    </div>
  );
}

function DevicesTable() {
  const [devices, setDevices] = useState<sync.DeviceView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [n, setN] = useState(0);
  const [now, setNow] = useState(Date.now());
  useVisiblePoll(
    async () => {
      try {
        setDevices((await api.page<sync.DeviceView>('/api/sync/devices?per_page=100')).data);
        setNow(Date.now());
        setError(null);
      } catch (err) {
        setError(opsErrorText(err));
      }
    },
    DEVICES_POLL_MS,
    [n],
  );
  return (
    <section aria-labelledby="devices-title">
      <h2 id="devices-title" class="section">
        Devices
      </h2>
      <ErrorNote text={error} />
      <DataTable
        caption="Every gate enrolled in your halls"
        label="devices"
        columns={[
          { title: 'Gate', cell: (d) => d.name },
          { title: 'Hall', cell: (d) => d.hall_id },
          {
            title: 'State',
            cell: (d) => {
              const s = deviceState(d, now);
              return (
                <span data-device-state={s}>
                  <StatePill tone={TONE[s]} text={s} />
                </span>
              );
            },
          },
          { title: 'Last sync', cell: (d) => (d.last_seen_at ? agoText(now - Date.parse(d.last_seen_at)) : 'never') },
          { title: 'Backlog', num: true, cell: (d) => d.backlog ?? '–' },
          {
            title: 'Clock offset',
            num: true,
            cell: (d) => (d.clock_offset_ms === null ? '–' : offsetText(d.clock_offset_ms)),
          },
          { title: 'App version', cell: (d) => d.app_version ?? '–' },
          { title: 'Problems', cell: (d) => deviceProblems(d).join('; ') || 'none' },
          { title: 'Action', cell: (d) => <RevokeButton device={d} onDone={() => setN((x) => x + 1)} /> },
        ]}
        rows={devices ?? []}
        rowKey={(d) => d.device_id}
        empty={devices ? 'No gates enrolled yet.' : 'Loading the devices…'}
      />
    </section>
  );
}

/** Enrolment codes (text and QR) and every gate with its state; revoke with a confirmation. */
export function GatesView() {
  return (
    <Screen title="Gates">
      <EnrolmentCard />
      <DevicesTable />
    </Screen>
  );
}

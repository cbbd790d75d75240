import type { opsLive } from '@ticketgate/protocol';
import { VERDICT_WORDS } from '@ticketgate/ui/components';
import { Screen } from '../../ui.js';
import { useLiveDoors, type LinkState } from '../live-doors.js';
import { DataTable } from '../parts/data-table.js';
import { EventPicker } from '../parts/event-picker.js';
import { MinuteChart } from '../parts/minute-chart.js';
import { OccupancyPanel } from '../parts/occupancy-panel.js';
import { StatePill, type PillTone } from '../parts/state-pill.js';
import { useScope } from '../scope.js';
import { ConflictsTable } from './conflicts.js';

const LINK: Record<LinkState, { tone: PillTone; text: string }> = {
  connecting: { tone: 'off', text: 'connecting' },
  live: { tone: 'ok', text: 'live' },
  reconnecting: { tone: 'warn', text: 'reconnecting' },
  ended: { tone: 'bad', text: 'stream ended: log in again' },
};

/** What the refused verdicts mean at the door, in a steward's words. */
const INVALID_WORDS: Record<opsLive.LiveSnapshot['invalid'][number]['result'], string> = {
  DUPLICATE: `${VERDICT_WORDS.DUPLICATE} (ticket already admitted)`,
  WRONG_HALL: `${VERDICT_WORDS.WRONG_HALL} (ticket for another hall)`,
  EXPIRED: `${VERDICT_WORDS.EXPIRED} (an old code on screen)`,
  NOT_FOUND: `${VERDICT_WORDS.NOT_FOUND} (no such ticket)`,
  QR_INVALID: `${VERDICT_WORDS.QR_INVALID} (forged or damaged code)`,
  UNPAID: `${VERDICT_WORDS.UNPAID} (seat not paid for)`,
  NOT_YET_OPEN: `${VERDICT_WORDS.NOT_YET_OPEN} (before the doors open)`,
  ENTRY_CLOSED: `${VERDICT_WORDS.ENTRY_CLOSED} (after the last entry)`,
  WRONG_ZONE: `${VERDICT_WORDS.WRONG_ZONE} (ticket for another zone)`,
  ENTRY_LIMIT: `${VERDICT_WORDS.ENTRY_LIMIT} (no entries left on the ticket)`,
  EXITED: `${VERDICT_WORDS.EXITED} (exit recorded)`,
  NOT_INSIDE: `${VERDICT_WORDS.NOT_INSIDE} (exit without an entry)`,
};

function Doors({ s, eventId }: { s: opsLive.LiveSnapshot; eventId: string }) {
  const invalidRows = [
    ...s.invalid.map((i) => ({ what: INVALID_WORDS[i.result], count: i.count })),
    { what: 'Unreadable codes (no event)', count: s.unreadable },
  ];
  return (
    <>
      <div class="grid-2">
        <MinuteChart
          id="by-gate"
          title="Admissions per minute, by gate"
          minutes={s.minutes}
          series={s.gates.map((g) => ({ label: g.name, values: g.admissions }))}
        />
        <MinuteChart
          id="by-hall"
          title="Admissions per minute, by hall"
          minutes={s.minutes}
          series={s.halls.map((h) => ({ label: `${h.hall_name} (${h.hall_id})`, values: h.admissions }))}
        />
      </div>
      <p>
        Admitted so far:{' '}
        <strong data-admitted={s.halls.reduce((a, h) => a + h.total, 0)}>{s.halls.reduce((a, h) => a + h.total, 0)}</strong>
        {' · '}double admissions: <strong data-conflict-count={s.conflicts}>{s.conflicts}</strong> · as of{' '}
        {new Date(s.server_time).toISOString().slice(11, 19)} UTC
      </p>
      <div class="grid-2">
        <OccupancyPanel eventId={eventId} />
        <section class="card" aria-labelledby="invalid-title">
          <h2 id="invalid-title">Refused at the doors</h2>
          <DataTable
            caption="Invalid attempts by reason (whole event)"
            label="invalid"
            columns={[
              { title: 'Reason', cell: (r) => r.what },
              { title: 'Count', num: true, cell: (r) => r.count },
            ]}
            rows={invalidRows}
            rowKey={(r) => r.what}
            empty=""
          />
        </section>
      </div>
      <h2 class="section">Scan conflicts</h2>
      <ConflictsTable eventId={eventId} refreshKey={s.conflicts} />
      <h2 class="section">Rejected uploads</h2>
      <DataTable
        caption="Uploads the server refused to count"
        label="rejected"
        columns={[
          { title: 'Gate', cell: (r) => r.name },
          { title: 'Reason', cell: (r) => r.reason_code },
          { title: 'Count', num: true, cell: (r) => r.count },
          { title: 'Last', cell: (r) => `${new Date(r.last_received_at).toISOString().slice(11, 19)} UTC` },
        ]}
        rows={s.rejected_uploads}
        rowKey={(r) => `${r.device_id}:${r.reason_code}`}
        empty="None: every upload was counted."
      />
    </>
  );
}

/** The live door view: admissions per minute per gate and hall, occupancy, refused scans, conflicts and rejected uploads, all live. */
export function LiveView() {
  const scope = useScope();
  const { snapshot, state } = useLiveDoors(scope.eventId);
  return (
    <Screen title="Live doors">
      <div class="toolbar">
        <EventPicker />
        <span data-link-state={state}>
          <StatePill tone={LINK[state].tone} text={LINK[state].text} />
        </span>
      </div>
      {snapshot && scope.eventId && snapshot.event_id === scope.eventId ? (
        <Doors s={snapshot} eventId={scope.eventId} />
      ) : (
        <p class="muted">Waiting for the door figures…</p>
      )}
    </Screen>
  );
}

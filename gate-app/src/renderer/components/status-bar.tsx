// process: renderer
import { RESULT_IN_WORDS } from '@ticketgate/ui';
import { SCAN_RESULTS } from '@ticketgate/protocol';
import type { GateStatus } from '../gate-client.js';

const CONNECTIVITY_WORDS = { online: 'ONLINE', degraded: 'SLOW LINK', offline: 'OFFLINE' } as const;

/** "120 admitted · 3 already used": every count in words, zeros left out (admitted always shown). */
export function countsInWords(counts: GateStatus['counts']): string {
  return SCAN_RESULTS.filter((r) => r === 'SUCCESS' || (counts[r] ?? 0) > 0)
    .map((r) => `${counts[r] ?? 0} ${RESULT_IN_WORDS[r]}`)
    .join(' · ');
}

/** "412 inside · FLOOR 300 · BALCONY 112": people inside by this gate's count, then per zone. */
export function occupancyInWords(o: GateStatus['occupancy']): string {
  return [`${o.inside} inside`, ...o.zones.map((z) => `${z.zone} ${z.inside}`)].join(' · ');
}

/** Where this gate stands and whether it can reach the server, in words and a symbol, not colour alone. */
export function StatusBar(props: { status: GateStatus | null; reachable: boolean }) {
  const s = props.status;
  const state = !props.reachable ? 'offline' : (s?.connectivity ?? 'offline');
  const label = !props.reachable ? 'ENGINE DOWN' : CONNECTIVITY_WORDS[state];
  return (
    <header class="bar top">
      <div class="where">
        <span id="hall">{s?.hall_name ?? s?.hall_id ?? '—'}</span>
        {s?.venue_name ? (
          <>
            {' · '}
            <span id="venue">{s.venue_name}</span>
          </>
        ) : null}
        {s?.device_name ? (
          <span class="muted">
            {' · '}
            <span id="gate">{s.device_name}</span>
          </span>
        ) : null}
      </div>
      <div class="sync">
        <span id="conn" class="conn" data-state={state}>
          <span aria-hidden="true">{state === 'online' ? '●' : state === 'degraded' ? '◐' : '○'}</span> <span id="conn-label">{label}</span>
        </span>
        <span class="muted">
          {' '}
          · backlog <span id="backlog">{s?.backlog ?? 0}</span>
        </span>
        {s ? (
          <span class="muted">
            {' · '}
            {s.direction === 'exit' ? 'EXIT · ' : ''}
            <span id="occupancy">{occupancyInWords(s.occupancy)}</span>
          </span>
        ) : null}
      </div>
    </header>
  );
}

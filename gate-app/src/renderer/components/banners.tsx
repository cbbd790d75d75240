// process: renderer
import { clockWithZone, sinceInWords } from '@ticketgate/ui';
import type { GateStatus } from '../gate-client.js';

/**
 * The one thing a steward must not miss besides the verdict: that the gate is
 * offline (and since when, with how many scans waiting), or other alerts.
 */
export function Banners(props: { status: GateStatus | null; reachable: boolean; now: number }) {
  const { status: s, now } = props;
  if (!props.reachable) {
    return (
      <div id="offline" class="banner offline" role="alert">
        GATE ENGINE NOT ANSWERING — scans cannot be checked here. Call your supervisor.
      </div>
    );
  }
  if (!s) return null;
  const alerts: string[] = [];
  // Permanent for as long as the gate runs that way: the steward must know the link is not private.
  if (s.transport_warning) alerts.push('Insecure connection: this gate talks to the server over plain http. Tell your supervisor.');
  if (s.sync_integrity === 'refused') {
    alerts.push(
      'Sync refused: integrity. Data from the network failed its check; still admitting from the last good data. Tell your supervisor.',
    );
  }
  if (s.clock_jump_refused_ms !== null && s.clock_jump_refused_ms !== undefined) {
    alerts.push(
      `The server's time jumped by ${Math.round(s.clock_jump_refused_ms / 1000)} s: refused, the gate keeps its last good clock.`,
    );
  } else if (s.clock_warning) {
    alerts.push(`Clock is off by ${Math.round((s.clock_offset_ms ?? 0) / 1000)} s: tickets may be refused as expired.`);
  }
  if (s.conflicts)
    alerts.push(`${s.conflicts} double admission${s.conflicts === 1 ? '' : 's'} detected while offline; the control room has the details.`);
  if (s.rejected_uploads) alerts.push(`${s.rejected_uploads} scan${s.rejected_uploads === 1 ? '' : 's'} refused by the server.`);
  const offline = s.enrolled && !s.revoked && s.connectivity === 'offline';
  return (
    <>
      {offline ? (
        <div id="offline" class="banner offline" role="alert">
          <strong>OFFLINE</strong> — last sync <span id="last-sync">{sinceInWords(s.last_sync_at, now)}</span>
          {s.last_sync_at ? ` (${clockWithZone(s.last_sync_at, s.time_zone)})` : ''} · <span id="offline-backlog">{s.backlog}</span> scan
          {s.backlog === 1 ? '' : 's'} waiting to upload. Keep scanning: this gate decides alone.
        </div>
      ) : null}
      {alerts.length ? (
        <div id="alert" class="banner alert" role="status">
          {alerts.join(' ')}
        </div>
      ) : null}
    </>
  );
}

// process: renderer
import { clockWithZone, presentVerdict } from '@ticketgate/ui';
import type { ScanLogEntry } from '../gate-client.js';

/** The last scans at this gate, newest first: what the steward just did, in the verdict's words and colour. */
export function RecentScans(props: { scans: ScanLogEntry[]; timeZone: string }) {
  return (
    <aside class="recent" aria-labelledby="recent-title">
      <h2 id="recent-title">Last scans</h2>
      <ol id="recent-scans">
        {props.scans.map((s) => {
          const p = presentVerdict(s.result, { reEntry: s.result === 'SUCCESS' && (s.reason === 're_entry' || s.reason === 'new_day') });
          return (
            <li key={s.client_scan_id} data-result={s.result}>
              <span class="chip" style={{ background: p.background, color: p.foreground }}>
                {p.headline}
              </span>
              <span class="time">{clockWithZone(s.device_time + s.clock_offset_ms, props.timeZone)}</span>
              {s.annulled_at !== null ? <span class="muted"> · annulled (no passage)</span> : null}
            </li>
          );
        })}
        {props.scans.length === 0 ? <li class="muted">none yet</li> : null}
      </ol>
    </aside>
  );
}

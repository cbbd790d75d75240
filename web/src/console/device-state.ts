import type { sync } from '@ticketgate/protocol';

export type DeviceState = 'online' | 'degraded' | 'offline' | 'revoked';

/** A gate pulls at least every 15 s while connected: three missed pulls and it is no longer online. */
export const ONLINE_WITHIN_MS = 45_000;
/** Beyond this it is offline; in between it is degraded (late, or reconnecting). */
export const OFFLINE_AFTER_MS = 120_000;
/** A gate clock this far from the server's is a problem even though the gate corrects for it. */
export const CLOCK_PROBLEM_MS = 10_000;

/** What is wrong with a gate, in words, beyond being late: refused sync data, refused uploads, a clock far off. */
export function deviceProblems(d: sync.DeviceView): string[] {
  const out: string[] = [];
  if (d.sync_integrity === 'refused') out.push(`refused sync data${d.sync_integrity_message ? `: ${d.sync_integrity_message}` : ''}`);
  if (d.rejected_uploads > 0) out.push(`${d.rejected_uploads} rejected upload${d.rejected_uploads === 1 ? '' : 's'}`);
  if (d.clock_offset_ms !== null && Math.abs(d.clock_offset_ms) > CLOCK_PROBLEM_MS)
    out.push(`clock ${(Math.abs(d.clock_offset_ms) / 1000).toFixed(0)} s ${d.clock_offset_ms > 0 ? 'behind' : 'ahead'}`);
  return out;
}

/**
 * The one rule for a gate's state in the console: revoked by status; offline
 * when unseen for OFFLINE_AFTER_MS (or never); degraded when late or when it
 * has a problem; online otherwise.
 */
export function deviceState(d: sync.DeviceView, now: number): DeviceState {
  if (d.status === 'REVOKED') return 'revoked';
  const age = d.last_seen_at ? now - Date.parse(d.last_seen_at) : Infinity;
  if (age > OFFLINE_AFTER_MS) return 'offline';
  if (age > ONLINE_WITHIN_MS || deviceProblems(d).length > 0) return 'degraded';
  return 'online';
}

/** "12 s ago", "4 min ago", "3 h ago": how long since a gate was last heard from, to the second while it matters. */
export function agoText(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  return `${Math.floor(s / 3600)} h ago`;
}

/** A clock offset in seconds with its sign (server minus gate), "0.0 s" rather than "-0.0 s". */
export function offsetText(ms: number): string {
  const s = Math.round(ms / 100) / 10;
  return `${s === 0 ? '0.0' : s > 0 ? `+${s.toFixed(1)}` : s.toFixed(1)} s`;
}

// process: renderer
import type { GateStatus, Verdict } from './gate-client.js';

const $ = (id: string) => document.getElementById(id)!;

export function showVerdict(v: Verdict | { result: 'READY' | 'ERROR'; message: string }): void {
  const panel = $('verdict');
  panel.dataset.result = v.result;
  $('verdict-message').textContent = v.message;
  $('verdict-detail').textContent = 'seat_id' in v ? seatLines(v).join('\n') : '';
}

function seatLines(v: Verdict): string[] {
  const lines: string[] = [];
  if (v.event_name) lines.push(v.event_name);
  if (v.row && v.number != null) lines.push(`Row ${v.row} · Seat ${v.number}${v.category ? ` · ${v.category}` : ''}`);
  if (v.holder) lines.push(v.holder);
  return lines;
}

export function showStatus(s: GateStatus): void {
  $('hall').textContent = s.hall_id ?? '—';
  $('gate').textContent = s.device_name ?? '';
  $('conn').dataset.state = s.connectivity;
  $('conn-label').textContent = s.connectivity;
  $('last-sync').textContent = s.last_sync_at ? new Date(s.last_sync_at).toLocaleTimeString('en-GB') : 'never';
  $('backlog').textContent = String(s.backlog);
  $('counts').textContent = Object.entries(s.counts)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k} ${n}`)
    .join(' · ');
  const alerts: string[] = [];
  if (s.revoked) alerts.push('This gate has been revoked by an operator. Call your supervisor.');
  if (s.clock_warning) alerts.push(`Clock is off by ${Math.round((s.clock_offset_ms ?? 0) / 1000)} s: tickets may be refused as expired.`);
  if (s.conflicts) alerts.push(`${s.conflicts} double admission(s) detected while offline; see the operator console.`);
  const alert = $('alert');
  alert.hidden = alerts.length === 0;
  alert.textContent = alerts.join(' ');
}

export function showOffline(): void {
  $('conn').dataset.state = 'offline';
  $('conn-label').textContent = 'gate engine unreachable';
}

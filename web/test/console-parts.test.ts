// The operator console's pure parts in Node: the gate-state rule, its words,
// the view table, and that the build keeps the console out of the fan app's bundle.
import type { sync } from '@ticketgate/protocol';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../gate-app/test/e2e/harness.js';
import { buildWebApp } from '../scripts/build.js';
import { admissionText } from '../src/console/admission-text.js';
import { agoText, deviceProblems, deviceState, offsetText, OFFLINE_AFTER_MS, ONLINE_WITHIN_MS } from '../src/console/device-state.js';

const NOW = Date.parse('2026-12-01T19:00:00Z');
const device = (over: Partial<sync.DeviceView> = {}): sync.DeviceView => ({
  device_id: '00000000-0000-4000-8000-000000000001',
  name: 'Gate A2 north',
  hall_id: 'HALL-A',
  status: 'ACTIVE',
  last_seen_at: new Date(NOW - 5000).toISOString(),
  backlog: 0,
  clock_offset_ms: 120,
  app_version: '0.1.0',
  enrolled_at: '2026-12-01T10:00:00Z',
  revoked_at: null,
  rejected_uploads: 0,
  sync_integrity: 'ok',
  sync_integrity_message: null,
  sync_integrity_at: null,
  ...over,
});
const seenAgo = (ms: number) => device({ last_seen_at: new Date(NOW - ms).toISOString() });

describe('gate state in the console', () => {
  it('is online when heard from recently with no problem, degraded when late, offline when long unheard or never', () => {
    expect(deviceState(device(), NOW)).toBe('online');
    expect(deviceState(seenAgo(ONLINE_WITHIN_MS), NOW)).toBe('online');
    expect(deviceState(seenAgo(ONLINE_WITHIN_MS + 1), NOW)).toBe('degraded');
    expect(deviceState(seenAgo(OFFLINE_AFTER_MS), NOW)).toBe('degraded');
    expect(deviceState(seenAgo(OFFLINE_AFTER_MS + 1), NOW)).toBe('offline');
    expect(deviceState(device({ last_seen_at: null }), NOW)).toBe('offline');
  });

  it('is degraded by refused sync data, rejected uploads or a clock far off, and says which', () => {
    const refused = device({ sync_integrity: 'refused', sync_integrity_message: 'bad signature' });
    expect(deviceState(refused, NOW)).toBe('degraded');
    expect(deviceProblems(refused)).toEqual(['refused sync data: bad signature']);
    expect(deviceProblems(device({ rejected_uploads: 2 }))).toEqual(['2 rejected uploads']);
    expect(deviceProblems(device({ clock_offset_ms: 42_000 }))).toEqual(['clock 42 s behind']);
    expect(deviceProblems(device({ clock_offset_ms: -42_000 }))).toEqual(['clock 42 s ahead']);
    expect(deviceState(device({ clock_offset_ms: 9_000 }), NOW)).toBe('online');
  });

  it('is revoked whatever else holds', () => {
    expect(deviceState(device({ status: 'REVOKED', revoked_at: '2026-12-01T18:00:00Z' }), NOW)).toBe('revoked');
  });

  it('puts times in words an operator reads at a glance', () => {
    expect([agoText(4_400), agoText(61_000), agoText(7_300_000)]).toEqual(['4 s ago', '1 min ago', '2 h ago']);
    expect([offsetText(-20), offsetText(1234), offsetText(-1260)]).toEqual(['0.0 s', '+1.2 s', '-1.3 s']);
    expect(
      admissionText({ event_id: '', seat_id: '', device_id: null, admitted_by: 'Gate A2 north', scanned_at: '2026-12-01T19:02:16.500Z' }),
    ).toBe('Gate A2 north at 19:02:16 UTC');
  });
});

describe('web build', () => {
  const dist = tempDir('tg-web-build-');
  afterAll(() => dist.remove());

  it('bundles the console on its own: the fan app never loads it', async () => {
    const b = await buildWebApp(dist.path);
    const index = readFileSync(join(dist.path, 'index.html'), 'utf8');
    const page = readFileSync(join(dist.path, 'console.html'), 'utf8');
    expect(index).toContain(b.js);
    expect(index).not.toContain('console');
    expect(page).toContain(b.console.js);
    expect(page).toContain(b.console.css);
    expect(page).not.toContain(b.js);
    // The console's own code and its chart library are in its bundle only.
    const fan = readFileSync(join(dist.path, b.js), 'utf8');
    const ops = readFileSync(join(dist.path, b.console.js), 'utf8');
    for (const text of ['/api/ops/live/tickets', 'Create enrolment code', 'u-legend']) {
      expect(ops).toContain(text);
      expect(fan).not.toContain(text);
    }
    // And the fan app's offline shell does not cache it.
    expect(readFileSync(join(dist.path, 'sw.js'), 'utf8')).not.toContain(b.console.js);
  });
});

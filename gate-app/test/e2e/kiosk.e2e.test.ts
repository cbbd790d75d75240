// The kiosk UI in real Chromium on a real gate engine, synced from the real
// sync server: a fan's fresh QR, typed by a keyboard-wedge scanner, is admitted
// once and then shown as already checked in.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRenderer } from '../../scripts/build-renderer.js';
import { DATABASE_FILE } from '../../src/engine/index.js';
import { enrolmentLinkText } from '@ticketgate/ui';
import { launchChromium, typeStamped } from '../helpers/kiosk-browser.js';
import { GateProcess, ROOT, ServerApi, startSyncServer, type ServerProcess } from './harness.js';

describe('kiosk UI on a real gate', () => {
  let server: ServerProcess;
  let api: ServerApi;
  let gate: GateProcess;
  let browser: Browser;
  let eventId: string;

  beforeAll(async () => {
    await buildRenderer(); // the gate serves the built renderer at /
    server = await startSyncServer();
    api = new ServerApi(server);
    eventId = await api.arenaEventId();
    gate = await GateProcess.start('Kiosk Gate', server.url, await api.enrolmentCode());
    await gate.waitStatus(
      'online with the snapshot',
      (s) => s.connectivity === 'online' && s.events.some((e) => e.event_id === eventId && e.seats === 5000),
      60_000,
    );
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await gate?.dispose();
    await server?.dispose();
  }, 60_000);

  it('admits a wedge-scanned ticket, then shows DUPLICATE for the same code', async () => {
    const ticket = await api.buyTicket(eventId);
    await gate.waitSeat(ticket.seatId, 'sold', (s) => s.status === 'SOLD');
    const qr = await api.qr(ticket.seatId);

    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`${gate.url}/`);
    await expect.poll(() => page.textContent('#hall'), { timeout: 10_000 }).toBe('Main Arena');
    expect(await page.textContent('#venue')).toBe('Singapore Indoor Stadium');
    expect(await page.textContent('#gate')).toBe('Kiosk Gate');
    await expect.poll(() => page.getAttribute('#conn', 'data-state'), { timeout: 10_000 }).toBe('online');

    await typeStamped(page, qr, 6);
    await expect.poll(() => page.getAttribute('#verdict', 'data-result'), { timeout: 10_000 }).toBe('SUCCESS');
    expect(await page.textContent('#verdict-detail')).toContain(ticket.holder);
    const artifacts = join(ROOT, '.artifacts');
    mkdirSync(artifacts, { recursive: true });
    await page.waitForTimeout(250);
    await page.screenshot({ path: join(artifacts, 'kiosk-e2e-success.png') });

    await typeStamped(page, qr, 6);
    await expect.poll(() => page.getAttribute('#verdict', 'data-result'), { timeout: 10_000 }).toBe('DUPLICATE');
    expect(await page.textContent('#verdict-headline')).toBe('ALREADY USED');
    expect(await page.textContent('#verdict-instruction')).toMatch(/^Do not admit — entered \d\d:\d\d:\d\d UTC at Kiosk Gate$/);
    await page.waitForTimeout(250);
    await page.screenshot({ path: join(artifacts, 'kiosk-e2e-duplicate.png') });

    // The engine recorded both scans, and the admission reaches the server.
    const scans = await gate.scans();
    expect(scans.filter((s) => s.result === 'SUCCESS')).toHaveLength(1);
    expect(scans.filter((s) => s.result === 'DUPLICATE')).toHaveLength(1);
    await expect
      .poll(
        async () =>
          (await api.sql(`SELECT count(*)::int AS n FROM scans WHERE seat_id = $1 AND result = 'SUCCESS'`, [ticket.seatId]))[0]!.n,
        { timeout: 10_000 },
      )
      .toBe(1);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('enrols a new gate from its screen with the enrolment QR, then shows the revoked screen when an operator revokes it', async () => {
    // Started without a code: the gate serves its screen and waits for one.
    const fresh = await GateProcess.start('Screen Gate', server.url, '');
    try {
      const page = await browser.newPage({ viewport: { width: 800, height: 480 } });
      await page.goto(`${fresh.url}/`);
      await page.waitForSelector('#device-screen[data-problem="not_enrolled"]', { timeout: 10_000 });
      // The operator's enrolment QR, read by the wedge scanner.
      await typeStamped(page, enrolmentLinkText({ code: await api.enrolmentCode() }), 6);
      const online = await fresh.waitStatus(
        'enrolled from the screen and online',
        (s) => s.enrolled && s.connectivity === 'online',
        60_000,
      );
      await page.waitForSelector('#device-screen', { state: 'detached', timeout: 10_000 });
      await expect.poll(() => page.textContent('#hall'), { timeout: 10_000 }).toBe('Main Arena');
      expect(await page.textContent('#gate')).toBe('Screen Gate');
      // The manifest brought every hall's names, for WRONG_HALL verdicts that name the right door.
      const db = new Database(join(fresh.dataDir, DATABASE_FILE), { readonly: true });
      const halls = db.prepare('SELECT hall_id, hall_name, venue_name FROM halls ORDER BY hall_id').all() as { hall_id: string }[];
      db.close();
      expect(halls).toContainEqual({ hall_id: 'HALL-A', hall_name: 'Main Arena', venue_name: 'Singapore Indoor Stadium' });
      expect(halls.length).toBeGreaterThan(1);

      await api.call('POST', `/api/sync/devices/${online.device_id}/revoke`, { as: 'operator', body: {} });
      await page.waitForSelector('#device-screen[data-problem="revoked"]', { timeout: 15_000 });
      await page.screenshot({ path: join(ROOT, '.artifacts', 'kiosk-e2e-revoked.png') });
      await page.close();
    } finally {
      await fresh.dispose();
    }
  }, 120_000);
});

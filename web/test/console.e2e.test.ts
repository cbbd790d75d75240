// The operator console in real Chromium against the real compiled sync server
// and real headless gates: log in, import seats (one bad line reported), enrol
// two gates from the console's code, watch the live chart move with their scans,
// see an offline double admission as a conflict, and revoke a kiosk.
import { decodeQrPng } from '@ticketgate/crypto/qr-image';
import { enrolmentLinkText } from '@ticketgate/ui';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRenderer } from '../../gate-app/scripts/build-renderer.js';
import {
  GateProcess,
  ROOT,
  ServerApi,
  startSyncServer,
  tempDir,
  until,
  waitSnapshot,
  type ServerProcess,
} from '../../gate-app/test/e2e/harness.js';
import { buildWebApp } from '../scripts/build.js';
import { startCutProxy, type CutProxy } from './helpers/cut-proxy.js';
import { axeProblems, launchFanBrowser } from './helpers/fan-browser.js';

const ARTIFACTS = join(ROOT, '.artifacts/console');
const VIEWPORT = { width: 1280, height: 900 };

describe('operator console against the real server and gates', () => {
  let dist: ReturnType<typeof tempDir>;
  let server: ServerProcess;
  let api: ServerApi;
  let proxy: CutProxy;
  let browser: Browser;
  let page: Page;
  let arena: string;
  const gates: GateProcess[] = [];
  const problems: string[] = [];
  const pageErrors: string[] = [];

  /** A screenshot of the view as it is now, and its serious or critical axe-core violations. */
  async function capture(name: string) {
    await page.waitForTimeout(100); // one layout pass for the charts' canvas
    await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
    for (const v of await axeProblems(page))
      problems.push(`${name}: ${v.id} [${v.impact}] ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  }
  const open = async (title: string) => {
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: title, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: title }).waitFor();
  };
  const form = (id: string) => page.locator(`form[aria-labelledby="${id}-title"]`);
  const deviceState = (name: string) => page.locator(`[data-table="devices"] tr:has(td:text-is("${name}")) [data-device-state]`);
  const seriesTotal = (chart: string, series: string) =>
    page.locator(`[data-chart="${chart}"] tr[data-series="${series}"]`).getAttribute('data-window-total', { timeout: 500 });

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    dist = tempDir('tg-console-dist-');
    await Promise.all([buildWebApp(dist.path), buildRenderer()]);
    server = await startSyncServer({ env: { WEB_APP_DIR: dist.path } });
    api = new ServerApi(server);
    arena = await api.arenaEventId();
    // The gates reach the server through a relay the test can cut; the console's browser does not.
    proxy = await startCutProxy(server.url);
    browser = await launchFanBrowser();
    page = await browser.newPage({ viewport: VIEWPORT, locale: 'en-GB', timezoneId: 'UTC', bypassCSP: true });
    page.on('pageerror', (e) => pageErrors.push(e.message));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all(gates.map((g) => g.dispose()));
    await proxy?.close();
    await server?.dispose();
    dist?.remove();
  }, 60_000);

  it('an operator logs in and sees only the console views for their role', async () => {
    await page.goto(`${server.url}/console`);
    await page.getByRole('heading', { name: 'Operator console: log in' }).waitFor();
    await capture('login');
    // A fan's account is signed out again at once, with the reason.
    await page.getByLabel('Email').fill('fan@demo.ticketgate.test');
    await page.getByLabel('Password').fill('demo-pass-123');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('alert').getByText('This account is not an operator or admin account.').waitFor();
    expect(await page.evaluate(() => localStorage.getItem('ticketgate.console.session'))).toBeNull();
    await page.getByLabel('Email').fill('operator@demo.ticketgate.test');
    await page.getByLabel('Password').fill('demo-pass-123');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    await page.locator('[data-table="overview-events"] tbody tr').first().waitFor();
    expect(await page.textContent('.scope-line')).toContain('Singapore Indoor Stadium');
    await capture('overview');
    // The fan app's bundle is not the console's.
    const scripts = await page.locator('script[type="module"]').evaluateAll((s) => s.map((x) => (x as HTMLScriptElement).src));
    expect(scripts).toEqual([expect.stringMatching(/\/console-[A-Z0-9]{8}\.js$/)]);
  });

  it('imports an event, then a seat CSV with one bad line: the line is reported and nothing imported; fixed, it imports', async () => {
    await open('Catalog');
    const date = new Date(Date.now() + 30 * 86400_000).toISOString().slice(0, 19) + 'Z';
    await form('event-import')
      .locator('textarea')
      .fill(`hall_id,name,event_date,event_type,city,description,prices\nHALL-A,Console Night,${date},music,,Test,CAT1=80\n`);
    await form('event-import').getByRole('button', { name: 'Import' }).click();
    await form('event-import').getByText('Imported 1 events.').waitFor();

    const seats = form('seat-import');
    await seats.getByLabel('Event').selectOption({ label: 'Console Night · HALL-A' });
    await seats.locator('textarea').fill('row,seat_number,category\nA,1,CAT1\nA,x,CAT1\nA,2,CAT1\n');
    await seats.getByRole('button', { name: 'Import' }).click();
    const errors = page.locator('[data-table="seat-import-errors"] tbody tr');
    await errors.first().waitFor();
    expect(await errors.count()).toBe(1);
    expect(await errors.first().locator('td').first().textContent()).toBe('line 3');
    expect(await errors.first().locator('td').nth(1).textContent()).toContain('seat_number "x"');
    await capture('catalog-import-errors');

    await seats.locator('textarea').fill('row,seat_number,category\nA,1,CAT1\nA,2,CAT1\n');
    await seats.getByRole('button', { name: 'Import' }).click();
    await seats.getByText('Imported 2 seats; the event now has 2.').waitFor();
    expect(await errors.count()).toBe(0);

    const hall = form('add-hall');
    await hall.getByLabel('Venue').selectOption({ label: 'Singapore Indoor Stadium' });
    await hall.getByLabel(/Hall code/).fill('CONS-1');
    await hall.getByLabel('Name').fill('Console Hall');
    await hall.getByRole('button', { name: 'Add hall' }).click();
    await hall.getByText('Hall CONS-1 added.').waitFor();
    // A taken code is refused with the server's own reason.
    await hall.getByLabel('Venue').selectOption({ label: 'Singapore Indoor Stadium' });
    await hall.getByLabel(/Hall code/).fill('HALL-A');
    await hall.getByLabel('Name').fill('Again');
    await hall.getByRole('button', { name: 'Add hall' }).click();
    await hall.getByRole('alert').getByText('Hall HALL-A already exists.').waitFor();
    await page.locator('[data-table="halls"] td', { hasText: 'Console Hall' }).waitFor();
    await capture('catalog');
  });

  it('creates enrolment codes (text and QR) that headless gates enrol with; they show online', async () => {
    await open('Gates');
    const enrolWith = async (name: string) => {
      await page.getByLabel('Hall').selectOption('HALL-A');
      const before = await page
        .locator('[data-enrolment-code]')
        .getAttribute('data-enrolment-code', { timeout: 100 })
        .catch(() => null);
      await page.getByRole('button', { name: 'Create enrolment code' }).click();
      const code = await until('a new enrolment code on the page', async () => {
        const c = await page.locator('[data-enrolment-code]').getAttribute('data-enrolment-code', { timeout: 500 });
        return c && c !== before ? c : undefined;
      });
      expect(await page.getByLabel('Enrolment code').textContent()).toBe(code);
      // The QR holds the same code (and this server) the way a kiosk scans it.
      const qr = await until(
        'a readable enrolment QR',
        async () => decodeQrPng(await page.locator('canvas.qr').screenshot()) ?? undefined,
        10_000,
        200,
      );
      expect(qr).toBe(enrolmentLinkText({ code, server: server.url }));
      const gate = await GateProcess.start(name, proxy.url, code);
      gates.push(gate);
      return gate;
    };
    const north1 = await enrolWith('Door North 1');
    await capture('gates-enrolment');
    const north2 = await enrolWith('Door North 2');
    await Promise.all([waitSnapshot(north1, arena), waitSnapshot(north2, arena)]);
    for (const name of ['Door North 1', 'Door North 2'])
      await until(
        `${name} online in the console`,
        async () => (await deviceState(name).getAttribute('data-device-state', { timeout: 500 })) === 'online',
        15_000,
      );
    await capture('gates');
  }, 150_000);

  it('scans at two gates move the live chart within 2 s', async () => {
    const [north1, north2] = gates as [GateProcess, GateProcess];
    // Opened by its address (a reload): the server answers every /console path with the console, the session survives.
    await page.goto(`${server.url}/console/live`);
    await page.getByRole('heading', { level: 1, name: 'Live doors' }).waitFor();
    await page.getByLabel('Event').selectOption(arena);
    await until(
      'the live stream',
      async () => (await page.locator('[data-link-state]').getAttribute('data-link-state')) === 'live',
      15_000,
    );
    expect(await seriesTotal('by-gate', 'Door North 1')).toBe('0');

    const [t1, t2] = [await api.buyTicket(arena), await api.buyTicket(arena)];
    await north1.waitSeat(t1.seatId, 'sold', (s) => s.status === 'SOLD');
    await north2.waitSeat(t2.seatId, 'sold', (s) => s.status === 'SOLD');
    const [q1, q2] = [await api.qr(t1.seatId), await api.qr(t2.seatId)];
    expect((await north1.scan(q1)).result).toBe('SUCCESS');
    expect((await north2.scan(q2)).result).toBe('SUCCESS');
    // Pushed by the server's stream (no reload): each gate's line and the hall's.
    await until(
      'both gates and the hall on the chart',
      async () =>
        (await seriesTotal('by-gate', 'Door North 1')) === '1' &&
        (await seriesTotal('by-gate', 'Door North 2')) === '1' &&
        (await seriesTotal('by-hall', 'Main Arena (HALL-A)')) === '2',
      2_000,
    );
    expect(await page.locator('[data-admitted]').getAttribute('data-admitted')).toBe('2');
    // A refused scan shows by reason.
    expect((await north1.scan(q1)).result).toBe('DUPLICATE');
    await page.locator('[data-table="invalid"] td', { hasText: 'ALREADY USED' }).waitFor({ timeout: 10_000 });
    // No occupancy endpoint on this server yet: said so, no figure made up.
    await page.locator('[data-occupancy="unavailable"]').waitFor();
    await capture('live');
  });

  it('an offline double admission appears in the conflicts view after the gates reconnect', async () => {
    const [north1, north2] = gates as [GateProcess, GateProcess];
    const t = await api.buyTicket(arena);
    await Promise.all([north1, north2].map((g) => g.waitSeat(t.seatId, 'sold', (s) => s.status === 'SOLD')));
    const qr = await api.qr(t.seatId);
    await proxy.cut();
    await Promise.all([north1, north2].map((g) => g.waitStatus('offline', (s) => s.connectivity === 'offline')));
    expect((await north1.scan(qr)).result).toBe('SUCCESS');
    expect((await north2.scan(qr)).result).toBe('SUCCESS');
    await open('Conflicts');
    await page.locator('[data-table="conflicts"] tbody', { hasText: 'No double admissions.' }).waitFor({ timeout: 10_000 });
    await proxy.restore();
    await Promise.all(
      [north1, north2].map((g) =>
        g.waitStatus('back online, backlog uploaded', (s) => s.connectivity === 'online' && s.backlog === 0, 60_000),
      ),
    );
    const row = page.locator('[data-table="conflicts"] tbody tr', { hasText: 'Door North 2' });
    await row.waitFor({ timeout: 10_000 });
    const cells = await row.locator('td').allTextContents();
    expect(cells[1]).toMatch(/^Door North 1 at \d\d:\d\d:\d\d UTC$/);
    expect(cells[2]).toMatch(/^Door North 2 at \d\d:\d\d:\d\d UTC$/);
    await capture('conflicts');
  }, 120_000);

  it('revoking a device from the console shows the revoked screen on that kiosk within 3 s', async () => {
    const north2 = gates[1]!;
    const kiosk = await browser.newPage({ viewport: { width: 800, height: 480 } });
    try {
      await kiosk.goto(`${north2.url}/`);
      await expect.poll(() => kiosk.textContent('#gate'), { timeout: 10_000 }).toBe('Door North 2');
      await open('Gates');
      await page.getByRole('button', { name: 'Revoke Door North 2' }).click();
      await capture('gates-revoke-confirm');
      await page.getByRole('button', { name: 'Yes, revoke Door North 2' }).click();
      await kiosk.waitForSelector('#device-screen[data-problem="revoked"]', { timeout: 3_000 });
      await north2.waitStatus('revoked', (s) => s.revoked, 3_000);
      await until(
        'revoked in the console',
        async () => (await deviceState('Door North 2').getAttribute('data-device-state', { timeout: 500 })) === 'revoked',
        5_000,
      );
    } finally {
      await kiosk.close();
    }
    expect(problems).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});

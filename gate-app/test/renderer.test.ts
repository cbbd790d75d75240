// Kiosk renderer in real Chromium (Debian's), driven by playwright-core. The
// engine's local HTTP API is played by a small recording server
// (helpers/kiosk-stub.ts); the engine itself has its own tests.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRenderer } from '../scripts/build-renderer.js';
import { launchChromium, typeStamped } from './helpers/kiosk-browser.js';
import { startKioskStub, type KioskStub } from './helpers/kiosk-stub.js';

const ARTIFACTS = join(import.meta.dirname, '../../.artifacts');
const TICKET = 'KRSXG5CUMVZXI2LOM4QEMYLOEBSWY3DPEBTHE33NEBKGS3DLMV2EO6LUMVZXI2LOM4';

let stub: KioskStub;
let browser: Browser;

beforeAll(async () => {
  const dist = await buildRenderer(join(tmpdir(), `tg-renderer-${process.pid}`));
  stub = await startKioskStub(dist, (scan) =>
    scan.payload === TICKET
      ? {
          result: 'SUCCESS',
          message: '✅ Valid ticket. Welcome!',
          seat_id: 's1',
          row: 'A',
          number: 12,
          category: 'CAT1',
          holder: 'Demo Fan',
          event_name: 'Arena Night',
        }
      : { result: 'QR_INVALID', message: '🚫 Invalid QR — Not a TicketGate ticket or tampered', seat_id: null },
  );
  browser = await launchChromium();
  mkdirSync(ARTIFACTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await stub?.close();
});

async function openKiosk(): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(`${stub.base}/`);
  // The first status poll has rendered: the app's listeners are in place.
  await expect.poll(() => page.textContent('#hall')).not.toBe('—');
  return page;
}

describe('kiosk renderer', () => {
  it('shows the gate status: hall, connectivity, backlog, revocation', async () => {
    stub.status = {
      hall_id: 'HALL-A',
      device_name: 'Gate 1',
      connectivity: 'offline',
      backlog: 7,
      last_sync_at: null,
      revoked: true,
      counts: { SUCCESS: 3 },
    };
    const page = await openKiosk();
    await expect.poll(() => page.textContent('#hall')).toBe('HALL-A');
    expect(await page.getAttribute('#conn', 'data-state')).toBe('offline');
    expect(await page.textContent('#backlog')).toBe('7');
    expect(await page.getAttribute('#device-screen', 'data-problem')).toBe('revoked');
    expect(await page.textContent('#device-screen')).toContain('revoked this gate');
    await page.close();
  });

  it('tells the steward when sync data was refused, when the link is insecure, and when a clock jump was refused', async () => {
    stub.status = {
      hall_id: 'HALL-A',
      device_name: 'Gate 1',
      connectivity: 'online',
      backlog: 0,
      last_sync_at: new Date().toISOString(),
      sync_integrity: 'refused',
      sync_integrity_message: 'GET /api/sync/hall: the signature does not match the data',
      transport: 'http-insecure',
      transport_warning: 'INSECURE CONNECTION',
      clock_warning: true,
      clock_jump_refused_ms: 3_600_000,
    };
    const page = await openKiosk();
    await expect.poll(() => page.textContent('#alert')).toContain('Sync refused: integrity');
    const alert = (await page.textContent('#alert')) ?? '';
    expect(alert).toContain('Insecure connection');
    expect(alert).toContain('jumped by 3600 s: refused');
    expect(alert).not.toContain('Clock is off');
    await page.close();
  });

  it('takes a fast keyboard-wedge burst as a scan and shows the verdict', async () => {
    stub.status = { hall_id: 'HALL-A', device_name: 'Gate 1', connectivity: 'online', backlog: 0, last_sync_at: new Date().toISOString() };
    const page = await openKiosk();
    stub.scans.length = 0;
    await typeStamped(page, TICKET, 8);
    await expect.poll(() => stub.scans.length).toBeGreaterThan(0);
    expect(stub.scans).toEqual([{ payload: TICKET, source: 'wedge' }]);
    await expect.poll(() => page.getAttribute('#verdict', 'data-result')).toBe('SUCCESS');
    expect(await page.textContent('#verdict-headline')).toBe('ADMIT');
    expect(await page.textContent('#verdict-detail')).toContain('Row A · Seat 12');
    expect(stub.scans).toEqual([{ payload: TICKET, source: 'wedge' }]);
    expect(await page.inputValue('#manual-input')).toBe('');
    await page.waitForTimeout(250); // let the colour transition finish
    await page.screenshot({ path: join(ARTIFACTS, 'kiosk-success.png') });
    await page.close();
  });

  it('never takes slow human typing for a scan', async () => {
    const page = await openKiosk();
    stub.scans.length = 0;
    await typeStamped(page, 'HELLOWORLDHELLOWORLD', 150);
    await page.waitForTimeout(300);
    expect(stub.scans).toEqual([]);
    expect(await page.getAttribute('#verdict', 'data-result')).toBe('READY');
    await page.close();
  });

  it('checks a code typed into the manual field and shows a rejection', async () => {
    const page = await openKiosk();
    stub.scans.length = 0;
    await page.click('#manual-input');
    await page.keyboard.type('NOT-A-TICKET', { delay: 120 });
    await page.click('#manual button');
    await expect.poll(() => page.getAttribute('#verdict', 'data-result')).toBe('QR_INVALID');
    expect(stub.scans).toEqual([{ payload: 'NOT-A-TICKET', source: 'manual' }]);
    await page.waitForTimeout(250); // let the colour transition finish
    await page.screenshot({ path: join(ARTIFACTS, 'kiosk-invalid.png') });
    await page.close();
  });
});

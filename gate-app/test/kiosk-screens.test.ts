// Every kiosk verdict and status screen in real Chromium at the three kiosk
// sizes (800×480, 1280×800, 1920×1080): the headline and instruction a steward
// reads, colour + icon + shape per verdict, sound per verdict class, no overflow,
// and no serious or critical axe-core violation. Screenshots go to .artifacts/kiosk/.
// The engine's local API is played by the recording stub (helpers/kiosk-stub.ts).
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanResult } from '@ticketgate/protocol';
import { buildRenderer } from '../scripts/build-renderer.js';
import { PATTERNS } from '../src/renderer/sound.js';
import { launchChromium, typeStamped } from './helpers/kiosk-browser.js';
import { startKioskStub, type KioskStub } from './helpers/kiosk-stub.js';

const ARTIFACTS = join(import.meta.dirname, '../../.artifacts/kiosk');
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const SIZES = [
  { width: 800, height: 480 },
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
] as const;
const SEAT = { seat_id: 's1', row: 'K', number: 14, category: 'CAT1', holder: 'Demo Fan', event_name: 'Arena Night' };

/** Each verdict as the engine answers it, with what the steward must read. */
const VERDICTS: Record<string, { reply: Record<string, unknown>; headline: string; instruction: string }> = {
  SUCCESS: { reply: { result: 'SUCCESS', message: 'ok', ...SEAT }, headline: 'ADMIT', instruction: 'Let the fan in' },
  DUPLICATE: {
    reply: {
      result: 'DUPLICATE',
      message: 'dup',
      ...SEAT,
      first_admitted_at: '2026-01-10T18:02:16.000Z',
      first_admitted_by: 'Gate A2 north',
    },
    headline: 'ALREADY USED',
    instruction: 'Do not admit — entered 19:02:16 CET at Gate A2 north',
  },
  WRONG_HALL: {
    reply: {
      result: 'WRONG_HALL',
      message: 'wh',
      ...SEAT,
      correct_hall: 'HALL-B',
      correct_hall_name: 'Hall B',
      correct_venue_name: 'Esplanade Theatre',
    },
    headline: 'WRONG HALL',
    instruction: 'Send to Esplanade Theatre, Hall B',
  },
  EXPIRED: { reply: { result: 'EXPIRED', message: 'exp', ...SEAT }, headline: 'EXPIRED', instruction: 'Ask the fan to refresh the ticket' },
  UNPAID: {
    reply: { result: 'UNPAID', message: 'unpaid', ...SEAT },
    headline: 'UNPAID',
    instruction: 'Do not admit — send the fan to the box office',
  },
  NOT_FOUND: {
    reply: { result: 'NOT_FOUND', message: 'nf', seat_id: 's9' },
    headline: 'NOT VALID',
    instruction: 'Do not admit — ticket not on record; call a supervisor',
  },
  QR_INVALID: {
    reply: { result: 'QR_INVALID', message: 'bad', seat_id: null },
    headline: 'NOT VALID',
    instruction: 'Do not admit — not a TicketGate ticket, or altered',
  },
  // The admission policy and exits.
  RE_ENTRY: {
    reply: { result: 'SUCCESS', message: 'back', ...SEAT, re_entry: true, reason: 're_entry' },
    headline: 'RE-ENTRY',
    instruction: 'Let the fan back in',
  },
  WRONG_ZONE: {
    reply: { result: 'WRONG_ZONE', message: 'wz', ...SEAT, correct_zone: 'FLOOR' },
    headline: 'WRONG ZONE',
    instruction: 'Send to zone FLOOR',
  },
  NOT_YET_OPEN: {
    reply: { result: 'NOT_YET_OPEN', message: 'early', ...SEAT },
    headline: 'NOT OPEN',
    instruction: 'Do not admit yet — doors are not open; ask the fan to wait',
  },
  ENTRY_CLOSED: {
    reply: { result: 'ENTRY_CLOSED', message: 'late', ...SEAT },
    headline: 'ENTRY CLOSED',
    instruction: 'Do not admit — last entry time has passed; call a supervisor',
  },
  ENTRY_LIMIT: {
    reply: { result: 'ENTRY_LIMIT', message: 'limit', ...SEAT },
    headline: 'LIMIT REACHED',
    instruction: 'Do not admit — this ticket has used all its entries',
  },
  EXITED: {
    reply: { result: 'EXITED', message: 'bye', ...SEAT, direction: 'exit' },
    headline: 'EXITED',
    instruction: 'Let the fan out — exit recorded',
  },
  NOT_INSIDE: {
    reply: { result: 'NOT_INSIDE', message: 'out', ...SEAT, direction: 'exit' },
    headline: 'NOT INSIDE',
    instruction: 'Let the fan out — no entry on record, exit not counted',
  },
};

const ONLINE = {
  hall_id: 'HALL-A',
  hall_name: 'Main Arena',
  venue_name: 'Singapore Indoor Stadium',
  device_name: 'Gate A1 south',
  time_zone: 'Europe/Berlin',
  connectivity: 'online',
  backlog: 0,
  last_sync_at: new Date().toISOString(),
  server_url: 'http://127.0.0.1:1',
  counts: { SUCCESS: 1204, DUPLICATE: 3, QR_INVALID: 2, EXPIRED: 5 },
  total_scans: 1214,
};

/** Status screens: what the gate state is, and what must be on screen for it. */
const STATUS_SCREENS: Record<string, { status: Record<string, unknown>; expect: string; text: RegExp }> = {
  ready: { status: ONLINE, expect: '#verdict[data-result="READY"]', text: /READY/ },
  offline: {
    status: { ...ONLINE, connectivity: 'offline', backlog: 37, last_sync_at: new Date(Date.now() - 12 * 60_000 - 5000).toISOString() },
    expect: '#offline',
    text: /OFFLINE — last sync 12 min ago \(\d\d:\d\d:\d\d CET\) · 37 scans waiting to upload/,
  },
  conflicts: { status: { ...ONLINE, conflicts: 1 }, expect: '#alert', text: /1 double admission detected while offline/ },
  occupancy: {
    status: {
      ...ONLINE,
      occupancy: {
        inside: 412,
        entries: 530,
        exits: 118,
        zones: [
          { zone: 'FLOOR', inside: 300 },
          { zone: 'BALCONY', inside: 112 },
        ],
      },
    },
    expect: '#occupancy',
    text: /412 inside · FLOOR 300 · BALCONY 112/,
  },
  revoked: {
    status: { ...ONLINE, revoked: true, revoked_at: '2026-01-10T18:40:00.000Z', connectivity: 'offline' },
    expect: '#device-screen[data-problem="revoked"]',
    text: /GATE REVOKED.*revoked this gate at 19:40:00 CET/,
  },
  unknown: {
    status: { ...ONLINE, device_unknown: true, connectivity: 'degraded' },
    expect: '#device-screen[data-problem="unknown"]',
    text: /GATE UNKNOWN/,
  },
  'not-enrolled': {
    status: { enrolled: false, hall_id: null, device_name: null, server_url: null },
    expect: '#device-screen[data-problem="not_enrolled"]',
    text: /NOT ENROLLED/,
  },
};

let stub: KioskStub;
let browser: Browser;

beforeAll(async () => {
  const dist = await buildRenderer(join(tmpdir(), `tg-screens-${process.pid}`));
  stub = await startKioskStub(dist, (scan) => VERDICTS[scan.payload]?.reply ?? VERDICTS.QR_INVALID!.reply);
  browser = await launchChromium(['--autoplay-policy=no-user-gesture-required']);
  mkdirSync(ARTIFACTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await stub?.close();
});

/** Opens the kiosk with every tone the page plays recorded in window.__tones (frequency per started oscillator). */
async function openKiosk(size: { width: number; height: number }, query = '?verdict_ms=600000'): Promise<Page> {
  // bypassCSP: axe-core is injected as an inline script, which the kiosk's CSP refuses.
  const page = await browser.newPage({ viewport: size, bypassCSP: true });
  await page.addInitScript(() => {
    const w = window as unknown as { __tones: number[] };
    w.__tones = [];
    const create = AudioContext.prototype.createOscillator;
    AudioContext.prototype.createOscillator = function (this: AudioContext) {
      const osc = create.call(this);
      const start = osc.start.bind(osc);
      osc.start = (when?: number) => {
        w.__tones.push(osc.frequency.value);
        start(when);
      };
      return osc;
    };
  });
  await page.goto(`${stub.base}/${query}`);
  await page.waitForSelector('.kiosk[data-status="loaded"]');
  return page;
}

async function scan(page: Page, payload: string): Promise<void> {
  await page.fill('#manual-input', payload);
  await page.click('#manual button');
  const result = VERDICTS[payload]!.reply.result as ScanResult;
  await expect.poll(() => page.getAttribute('#verdict', 'data-result')).toBe(result);
  // A re-entry and a first admission are both SUCCESS: wait for the headline too.
  await expect.poll(() => page.textContent('#verdict-headline')).toBe(VERDICTS[payload]!.headline);
}

/** Nothing sticks out of the window, and the headline fits its box. */
async function assertNoOverflow(page: Page): Promise<void> {
  const m = await page.evaluate(() => {
    const out: string[] = [];
    const doc = document.documentElement;
    if (doc.scrollWidth > innerWidth) out.push(`page ${doc.scrollWidth} wide in ${innerWidth}`);
    if (doc.scrollHeight > innerHeight) out.push(`page ${doc.scrollHeight} high in ${innerHeight}`);
    const key = '.bar, .banner, .headline, .instruction, .detail, .badge, #manual, .camera, #counts, #supervisor-open, .recent h2, .enrol';
    for (const el of document.querySelectorAll<HTMLElement | SVGElement>(key)) {
      const r = el.getBoundingClientRect();
      if (r.right > innerWidth + 0.5 || r.bottom > innerHeight + 0.5 || r.left < -0.5 || r.top < -0.5)
        out.push(`${el.id || el.getAttribute('class')} at ${JSON.stringify(r)}`);
    }
    for (const el of document.querySelectorAll<HTMLElement>('.headline, .instruction')) {
      if (el.scrollWidth > el.clientWidth + 1) out.push(`${el.className} text wider than its box`);
      const box = el.parentElement!.getBoundingClientRect();
      const r = el.getBoundingClientRect();
      if (r.bottom > box.bottom + 0.5 || r.top < box.top - 0.5) out.push(`${el.className} cut off by its panel`);
    }
    return out;
  });
  expect(m).toEqual([]);
}

async function assertAccessible(page: Page): Promise<void> {
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run(): Promise<{ violations: { id: string; impact: string | null; nodes: { target: unknown }[] }[] }> };
      }
    ).axe;
    const r = await axe.run();
    return r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${JSON.stringify(v.nodes.map((n) => n.target))}`);
  });
  expect(violations).toEqual([]);
}

describe('kiosk verdict screens', () => {
  it('shows each verdict as headline and instruction, in its colour, icon and shape, at every size, accessibly', async () => {
    for (const size of SIZES) {
      stub.status = ONLINE;
      const page = await openKiosk(size);
      for (const [name, v] of Object.entries(VERDICTS)) {
        await scan(page, name);
        expect(await page.textContent('#verdict-headline')).toBe(v.headline);
        expect(await page.textContent('#verdict-instruction')).toBe(v.instruction);
        if (v.reply.row) expect(await page.textContent('#verdict-detail')).toContain('Row K · Seat 14 · CAT1');
        await assertNoOverflow(page);
        await page.screenshot({ path: join(ARTIFACTS, `verdict-${name.toLowerCase()}-${size.width}x${size.height}.png`) });
        if (size.width === 1280) await assertAccessible(page);
      }
      await page.close();
    }
  });

  it('keeps ALREADY USED and EXPIRED apart by colour, icon, shape and words', async () => {
    stub.status = ONLINE;
    const page = await openKiosk(SIZES[1]);
    const look = async (payload: string) => {
      await scan(page, payload);
      return page.evaluate(() => ({
        background: getComputedStyle(document.getElementById('verdict')!).backgroundColor,
        icon: document.querySelector('#verdict .badge')!.getAttribute('data-icon'),
        shape: document.querySelector('#verdict .badge')!.getAttribute('data-shape'),
        headline: document.getElementById('verdict-headline')!.textContent,
        instruction: document.getElementById('verdict-instruction')!.textContent,
      }));
    };
    const used = await look('DUPLICATE');
    const expired = await look('EXPIRED');
    for (const k of ['background', 'icon', 'shape', 'headline', 'instruction'] as const) expect(used[k]).not.toBe(expired[k]);
    expect(used.background).toBe('rgb(184, 65, 11)');
    expect(expired.background).toBe('rgb(91, 42, 134)');
    await page.close();
  });

  it('plays one tone pattern per verdict class, and none with the sound switched off', async () => {
    stub.status = ONLINE;
    const page = await openKiosk(SIZES[1]);
    const tones = () => page.evaluate(() => (window as unknown as { __tones: number[] }).__tones.splice(0));
    const freqs = (k: keyof typeof PATTERNS) => PATTERNS[k].filter((t) => t.hz > 0).map((t) => t.hz);
    const expected: Record<string, number[]> = {
      SUCCESS: freqs('admit'),
      DUPLICATE: freqs('refuse'),
      WRONG_HALL: freqs('redirect'),
      EXPIRED: freqs('refresh'),
      QR_INVALID: freqs('refuse'),
    };
    for (const [payload, hz] of Object.entries(expected)) {
      await scan(page, payload);
      await expect.poll(tones).toEqual(hz);
    }
    expect(new Set(Object.values(expected).map((f) => f.join())).size).toBe(4);
    await page.close();

    const quiet = await openKiosk(SIZES[1], '?verdict_ms=600000&sound=0');
    await scan(quiet, 'SUCCESS');
    await scan(quiet, 'DUPLICATE');
    expect(await quiet.evaluate(() => (window as unknown as { __tones: number[] }).__tones)).toEqual([]);
    await quiet.close();
  });
});

describe('kiosk status screens', () => {
  it('shows every status screen with its words at every size, accessibly', async () => {
    for (const [name, screen] of Object.entries(STATUS_SCREENS)) {
      stub.status = screen.status;
      for (const size of SIZES) {
        const page = await openKiosk(size);
        await page.waitForSelector(screen.expect);
        expect(await page.textContent(screen.expect)).toMatch(screen.text);
        await assertNoOverflow(page);
        await page.screenshot({ path: join(ARTIFACTS, `status-${name}-${size.width}x${size.height}.png`) });
        if (size.width === 1280) await assertAccessible(page);
        await page.close();
      }
    }
  });

  it('labels hall, venue, gate and counts in words', async () => {
    stub.status = ONLINE;
    const page = await openKiosk(SIZES[0]);
    await expect.poll(() => page.textContent('#hall')).toBe('Main Arena');
    expect(await page.textContent('#venue')).toBe('Singapore Indoor Stadium');
    expect(await page.textContent('#gate')).toBe('Gate A1 south');
    expect(await page.textContent('#counts')).toBe('1204 admitted · 3 already used · 5 expired · 2 not a valid ticket');
    expect(await page.textContent('#conn')).toContain('ONLINE');
    await page.close();
  });

  it('lists the last scans, newest first, in the verdicts’ words', async () => {
    stub.status = ONLINE;
    const page = await openKiosk(SIZES[1]);
    await scan(page, 'EXPIRED');
    await scan(page, 'SUCCESS');
    await expect
      .poll(() => page.$$eval('#recent-scans li[data-result] .chip', (els) => els.slice(0, 2).map((e) => e.textContent)))
      .toEqual(['ADMIT', 'EXPIRED']);
    expect(await page.textContent('#recent-scans li[data-result] .time')).toMatch(/^\d\d:\d\d:\d\d CET$/);
    await page.close();
  });

  it('says the engine is not answering when the local API is down', async () => {
    stub.status = ONLINE;
    const page = await openKiosk(SIZES[0]);
    await page.route('**/status', (route) => route.abort());
    await expect.poll(() => page.textContent('#offline'), { timeout: 10_000 }).toMatch(/GATE ENGINE NOT ANSWERING/);
    expect(await page.getAttribute('#conn', 'data-state')).toBe('offline');
    await assertNoOverflow(page);
    for (const size of SIZES) {
      await page.setViewportSize(size);
      await assertNoOverflow(page);
      await page.screenshot({ path: join(ARTIFACTS, `status-engine-down-${size.width}x${size.height}.png`) });
    }
    await page.close();
  });
});

describe('kiosk setup', () => {
  it('enrols with a typed code, and says why when the server refuses it', async () => {
    stub.status = STATUS_SCREENS['not-enrolled']!.status;
    stub.enrols.length = 0;
    stub.enrolAnswer = 'ENROL_REFUSED';
    const page = await openKiosk(SIZES[1]);
    // A ticket scanned before enrolment is not taken for a verdict.
    await page.fill('#manual-input', 'SUCCESS');
    await page.click('#manual button');
    await expect.poll(() => page.textContent('#verdict-instruction')).toBe('This gate is not enrolled and cannot check tickets');
    await page.reload(); // the verdict would stay for verdict_ms; a fresh page shows the device screen
    await page.waitForSelector('#device-screen');
    await page.fill('#enrol-code', 'ABCD-EFGH-IJKL-MNOP');
    await page.fill('#enrol-server', 'http://tickets.example:8080');
    await page.click('#enrol button[type=submit]');
    await expect.poll(() => page.textContent('#enrol-error')).toContain('the server refused the code');
    await page.screenshot({ path: join(ARTIFACTS, 'setup-enrol-refused-1280x800.png') });
    stub.enrolAnswer = 'ok';
    await page.click('#enrol button[type=submit]');
    await page.waitForSelector('#device-screen', { state: 'detached' });
    expect(stub.enrols).toEqual([
      { code: 'ABCD-EFGH-IJKL-MNOP', server_url: 'http://tickets.example:8080' },
      { code: 'ABCD-EFGH-IJKL-MNOP', server_url: 'http://tickets.example:8080' },
    ]);
    expect(await page.getAttribute('#verdict', 'data-result')).toBe('READY');
    await page.close();
  });

  it('enrols from the enrolment QR read by the scanner, and never takes it for a ticket', async () => {
    stub.status = { ...ONLINE, revoked: true, revoked_at: new Date().toISOString() };
    stub.enrols.length = 0;
    stub.scans.length = 0;
    const page = await openKiosk(SIZES[0]);
    await page.waitForSelector('#device-screen');
    await typeStamped(page, 'ticketgate:enrol?code=WXYZ-2345-6723-4567', 8);
    await expect.poll(() => stub.enrols).toEqual([{ code: 'WXYZ-2345-6723-4567' }]);
    expect(stub.scans).toEqual([]);
    await page.waitForSelector('#device-screen', { state: 'detached' });
    await page.close();
  });

  it('opens the supervisor view only with the right PIN: counts, scanners, relay test, settings', async () => {
    stub.status = ONLINE;
    stub.relayTests = 0;
    const page = await openKiosk(SIZES[1]);
    await page.click('#supervisor-open');
    await page.fill('#pin', '1111');
    await page.click('#pin-form button');
    await expect.poll(() => page.textContent('#pin-error')).toBe('Wrong PIN.');
    expect(await page.$('#supervisor-counts')).toBeNull();
    await page.screenshot({ path: join(ARTIFACTS, 'setup-supervisor-pin-1280x800.png') });
    await page.fill('#pin', stub.pin);
    await page.click('#pin-form button');
    await page.waitForSelector('#supervisor-counts');
    expect(await page.textContent('#supervisor-counts')).toContain('admitted1204');
    expect(await page.textContent('#scanners')).toContain('usb-hid-1: connected');
    await page.click('#relay-test');
    await expect.poll(() => page.textContent('#relay-result')).toMatch(/^Relay pulsed at \d\d:\d\d:\d\d CET$/);
    expect(stub.relayTests).toBe(1);
    for (const size of SIZES) {
      await page.setViewportSize(size);
      await page.screenshot({ path: join(ARTIFACTS, `setup-supervisor-${size.width}x${size.height}.png`) });
    }
    await page.setViewportSize(SIZES[1]);
    await assertAccessible(page);
    // Sound off, kept for the next start of the kiosk.
    await page.uncheck('#sound-enabled');
    await page.click('#supervisor-close');
    await scan(page, 'SUCCESS');
    expect(await page.evaluate(() => (window as unknown as { __tones: number[] }).__tones)).toEqual([]);
    await page.reload();
    await page.click('#supervisor-open');
    await page.fill('#pin', stub.pin);
    await page.click('#pin-form button');
    expect(await page.isChecked('#sound-enabled')).toBe(false);
    await page.close();
  });
});

// The fan web app end to end: Debian's Chromium against the real sync server
// (embedded PostgreSQL, the local Stripe stand-in), as fans, a steward and the
// demo admin would use it. One server for the file; the steps build on each other.
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSyncServer, tempDir, until, type ServerProcess } from '../../gate-app/test/e2e/harness.js';
import { buildWebApp } from '../scripts/build.js';
import { FanTestApi, captureScreen, launchFanBrowser, phoneContext, readQr } from './helpers/fan-browser.js';

/** Short enough to watch a hold run out in the test, long enough to pay within it on a loaded machine. */
const HOLD_S = 20;
const FAN1 = { email: `fan1-${Date.now()}@example.test`, phone: '+6598000001', password: 'correct-horse-1', name: 'Ada Fan' };
const FAN2 = { email: `fan2-${Date.now()}@example.test`, phone: '+6598000002', password: 'correct-horse-2', name: 'Ben Buyer' };
const FLAGGED = { email: 'flagged@demo.ticketgate.test', phone: '+6591000003', password: 'demo-pass-123' };

let server: ServerProcess;
let dist: { path: string; remove(): void };
let browser: Browser;
let api: FanTestApi;
const hosts = new Set<string>();
const a11y: string[] = [];
const contexts: BrowserContext[] = [];

async function newPage(): Promise<Page> {
  const ctx = await phoneContext(browser, hosts);
  contexts.push(ctx);
  return ctx.newPage();
}
const shot = async (page: Page, name: string) => a11y.push(...(await captureScreen(page, name)));
const url = (path: string) => server.url + path;
/** Waits until the element is visible (Playwright's own auto-waiting assertion, without its test runner). */
const shown = (l: Locator, timeout = 10_000) => l.first().waitFor({ state: 'visible', timeout });

async function register(page: Page, who: typeof FAN1, capture = false): Promise<void> {
  await page.goto(url('/register'));
  await page.getByLabel('Name').fill(who.name);
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel(/Mobile number/).fill(who.phone);
  await page.getByLabel(/Password/).fill(who.password);
  if (capture) await shot(page, 'register');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('heading', { name: 'Upcoming events' }).waitFor();
}

async function openArena(page: Page): Promise<void> {
  await page.goto(url('/'));
  await page.getByLabel('Search events').fill('arena');
  await page.getByRole('link', { name: 'TicketGate Live: Arena Night' }).click();
  await page.locator('.seat-map canvas').waitFor();
}

async function openRow(page: Page, row: string): Promise<void> {
  await page.getByText('Choose from a list instead').click();
  await page.getByLabel('Row', { exact: true }).selectOption(row);
}

const freeInRow = async (page: Page): Promise<number> =>
  Number(/^(\d+) free/.exec((await page.locator('.row-list [role=status]').textContent())!)![1]);

/** The accessible way to a seat: a row from the list, then its first free seat. */
async function pickFromList(page: Page, row: string, opened = false): Promise<string> {
  if (!opened) await openRow(page, row);
  const first = page.locator('.seat-buttons button').first();
  const label = (await first.getAttribute('aria-label'))!;
  await first.click();
  return label;
}

async function buyHeldSeat(page: Page): Promise<string> {
  await page.getByRole('button', { name: /^Pay .* with credits$/ }).click();
  await page.getByRole('heading', { name: 'Ticket bought' }).waitFor();
  const href = (await page.getByRole('link', { name: 'Show my ticket' }).getAttribute('href'))!;
  return href.split('/').pop()!;
}

beforeAll(async () => {
  dist = tempDir('tg-web-dist-');
  await buildWebApp(dist.path);
  server = await startSyncServer({ env: { HOLD_TTL_SECONDS: String(HOLD_S), SWEEP_INTERVAL_MS: '1000', WEB_APP_DIR: dist.path } });
  api = new FanTestApi(server);
  browser = await launchFanBrowser();
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await server?.dispose();
  dist?.remove();
});

describe('fan web app', () => {
  let fan1: Page;
  let fan2: Page;
  let transferSeat: string;
  let sellerCode: string;
  let transferPage: string;

  it('registers a fan, tops up through the stand-in payment page and shows the credits once the webhook lands', async () => {
    fan1 = await newPage();
    await fan1.goto(url('/login'));
    await shot(fan1, 'login');
    await register(fan1, FAN1, true);
    await shot(fan1, 'events');

    await fan1.getByRole('link', { name: 'Credits' }).first().click();
    await fan1.getByRole('heading', { name: 'History' }).waitFor();
    await fan1.getByLabel('Amount in S$').fill('900');
    await shot(fan1, 'credits');
    await fan1.getByRole('button', { name: 'Continue to payment' }).click();
    await fan1.getByText('local Stripe stand-in').waitFor();
    await shot(fan1, 'pay-standin');
    await fan1.getByRole('button', { name: 'Pay S$900.00' }).click();
    await fan1.getByRole('heading', { name: 'Credits added' }).waitFor();
    await shown(fan1.getByText('Your balance is now S$900.00.'));
    await shot(fan1, 'pay-done');
    await fan1.goto(url('/credits'));
    await shown(fan1.getByRole('cell', { name: 'Top-up by card' }));
  });

  it('picks a seat on the 5,000-seat map, pays within the hold, and the QR read from the screen verifies', async () => {
    await openArena(fan1);
    await shown(fan1.getByRole('application', { name: /Seat map, 5000 seats in 50 rows/ }));
    await shown(fan1.locator('.legend').getByText('CAT1 S$350.00'));
    await shot(fan1, 'seat-map');
    // A tap in the middle of the hall lands on a seat of row Y or so; the panel names it.
    const box = (await fan1.locator('.seat-map canvas').boundingBox())!;
    await fan1.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await fan1.getByRole('button', { name: 'Reserve this seat' }).click();
    await shown(fan1.getByText('Pay within'));
    await shot(fan1, 'hold');
    const usedSeat = await buyHeldSeat(fan1);

    await fan1.getByRole('link', { name: 'Show my ticket' }).click();
    await fan1.waitForURL(`**/tickets/${usedSeat}`);
    const code = await readQr(fan1);
    await shown(fan1.getByText('New code in'));
    await shown(fan1.getByText(/^Row [A-Z]+, seat \d+/));
    await shot(fan1, 'ticket');
    expect(await api.verify(code)).toBe('SUCCESS');
    await fan1.reload();
    await fan1.getByRole('heading', { name: 'Used' }).waitFor();
    await shot(fan1, 'ticket-used');
  });

  it('transfers a ticket to a second fan found by email; both enter their SMS codes; the seller code is refused', async () => {
    // The open map follows sales made elsewhere, polling the changes since its cursor (nothing while nothing changes).
    const polls: number[] = [];
    fan1.on('response', (r) => {
      if (/\/seats\?since=\d+$/.test(r.url()) && r.ok())
        void r.json().then((b: { data: { seats: unknown[] } }) => polls.push(b.data.seats.length));
    });
    await openArena(fan1);
    await openRow(fan1, 'AW');
    const before = await freeInRow(fan1);
    await until('an empty answer from the seat-change poll', () => polls.includes(0), 15_000);
    const ev = await api.call<{ seats: { seat_id: string; row_number: string; status: string }[] }>(
      'GET',
      `/api/events/${await api.arenaEventId()}`,
    );
    const other = ev.seats.filter((x) => x.row_number === 'AW' && x.status === 'AVAILABLE').at(-1)!;
    const order = await api.call<{ order_id: string }>('POST', '/api/reserve', { as: 'fan', body: { seat_id: other.seat_id } });
    await api.call('POST', '/api/pay', { as: 'fan', body: { order_id: order.order_id } });
    await until('the open map to show the sale', async () => (await freeInRow(fan1)) === before - 1, 15_000, 200);
    expect(polls.some((n) => n > 0)).toBe(true); // the sale came as a change, not as a reload of the map

    await pickFromList(fan1, 'AW', true);
    await fan1.getByRole('button', { name: 'Reserve this seat' }).click();
    transferSeat = await buyHeldSeat(fan1);
    await fan1.goto(url(`/tickets/${transferSeat}`));
    sellerCode = await readQr(fan1);

    fan2 = await newPage();
    await register(fan2, FAN2);
    const since = await api.lastOutboxId();

    await fan1.getByRole('link', { name: 'Transfer this ticket' }).click();
    await fan1.getByLabel("The buyer's email address").fill(FAN2.email.replace('fan2', 'fan3'));
    await fan1.getByRole('button', { name: 'Find buyer' }).click();
    await shown(fan1.getByText('No TicketGate account has exactly this email address.'));
    await fan1.getByLabel("The buyer's email address").fill(FAN2.email.toUpperCase());
    await fan1.getByRole('button', { name: 'Find buyer' }).click();
    await shown(fan1.getByText(`Found ${FAN2.name}.`));
    await shot(fan1, 'transfer-start');
    await fan1.getByRole('button', { name: 'Start transfer' }).click();
    await fan1.getByRole('heading', { name: 'Sending a ticket' }).waitFor();

    const sellerSms = await api.smsCode(FAN1.phone, since);
    const buyerSms = await api.smsCode(FAN2.phone, since);
    await fan1.getByLabel('Your code from the SMS').fill(sellerSms.code);
    await fan1.getByRole('button', { name: 'Confirm with my code' }).click();
    await shown(fan1.getByText('Waiting for the buyer to enter theirs.'));
    await shot(fan1, 'transfer-seller');

    await fan2.getByRole('link', { name: 'Transfers' }).click();
    await fan2.getByRole('heading', { name: 'Incoming' }).waitFor();
    await shot(fan2, 'transfers');
    await fan2.locator('.list a').first().click();
    await fan2.getByLabel(/Your code from the SMS/).fill(buyerSms.code);
    await fan2.getByRole('button', { name: 'Accept the ticket' }).click();
    await shown(fan2.getByText('Completed: the ticket is yours.'));
    await shot(fan2, 'transfer-done');
    transferPage = new URL(fan2.url()).pathname;
    await shown(fan1.getByText(/Completed: the ticket now belongs to the buyer/), 10_000);

    expect(await api.verify(sellerCode)).toBe('NOT_FOUND');
    await fan1.goto(url(`/tickets/${transferSeat}`));
    await shown(fan1.getByText(/not in your account/));
    await shot(fan1, 'ticket-transferred');
  });

  it('keeps the shown code valid past its 60 s life; meanwhile a flagged fan passes OTP and an expired hold is explained', async () => {
    await fan2.goto(url(`/tickets/${transferSeat}`));
    const first = await readQr(fan2);
    const shownAt = Date.now();

    // While the buyer's ticket stays open: a flagged fan buys with the SMS code step...
    const flagged = await newPage();
    await flagged.goto(url('/login'));
    await flagged.getByLabel('Email').fill(FLAGGED.email);
    await flagged.getByLabel('Password').fill(FLAGGED.password);
    await flagged.getByRole('button', { name: 'Log in' }).click();
    await flagged.getByRole('heading', { name: 'Upcoming events' }).waitFor();
    await openArena(flagged);
    await pickFromList(flagged, 'AX');
    const since = await api.lastOutboxId();
    await flagged.getByRole('button', { name: 'Reserve this seat' }).click();
    await flagged.getByRole('button', { name: /^Pay .* with credits$/ }).click();
    await flagged.getByLabel('Code from the SMS').waitFor();
    await shot(flagged, 'otp');
    await flagged.getByLabel('Code from the SMS').fill((await api.smsCode(FLAGGED.phone, since)).code);
    await flagged.getByRole('button', { name: 'Verify and pay' }).click();
    await flagged.getByRole('heading', { name: 'Ticket bought' }).waitFor();

    // ...then lets a hold run out, reads why, and chooses the same seat again.
    await openArena(flagged);
    const seat = await pickFromList(flagged, 'AX');
    await flagged.getByRole('button', { name: 'Reserve this seat' }).click();
    await shown(flagged.getByText('Pay within'));
    await shown(flagged.getByText(/ended: the 0:20 to pay ran out and the seat was released/), (HOLD_S + 10) * 1000);
    await shot(flagged, 'hold-expired');
    await until('the released seat to be free on the server', async () => {
      const ev = await api.call<{ seats: { row_number: string; seat_number: number; status: string }[] }>(
        'GET',
        `/api/events/${await api.arenaEventId()}`,
      );
      const [, row, num] = /Row (\w+), seat (\d+)/.exec(seat)!;
      return ev.seats.find((s) => s.row_number === row && s.seat_number === Number(num))?.status === 'AVAILABLE';
    });
    await flagged.getByRole('button', { name: 'Reserve this seat' }).click();
    await shown(flagged.getByText('Pay within'));

    // Support chat over the HTTP chat API.
    await flagged.getByRole('link', { name: 'Help' }).click();
    await flagged.getByLabel('Message').fill('Can I bring a bag?');
    await flagged.getByRole('button', { name: 'Send' }).click();
    await shown(flagged.locator('.chat').getByText('Can I bring a bag?'));
    await shot(flagged, 'help');
    await flagged.getByRole('link', { name: 'Tickets' }).click();
    await flagged.locator('.ticket-card').first().waitFor();
    await shot(flagged, 'tickets');

    // The buyer disputes the transfer; support upholds it; the page shows each step.
    // (in a second tab of the buyer's browser: both tabs share the session and its rotating refresh token)
    const tab = await fan2.context().newPage();
    await tab.goto(url(transferPage));
    await tab.getByText('Something wrong? Dispute this transfer').click();
    await tab.getByLabel('What happened').fill('The seller asked for more money afterwards.');
    await tab.getByRole('button', { name: 'Send dispute to support' }).click();
    await shown(tab.getByText(/^Disputed: support is looking at it/));
    await shot(tab, 'transfer-disputed');
    await api.call('POST', '/api/transfer/resolve', {
      as: 'admin',
      body: { transfer_id: transferPage.split('/').pop(), resolution: 'UPHELD' },
    });
    await shown(tab.getByText(/^Dispute closed: support upheld the transfer/), 10_000);
    await tab.close();

    // 70 s after the first code was shown, the screen shows another one, and it verifies.
    await new Promise((r) => setTimeout(r, Math.max(0, shownAt + 70_000 - Date.now())));
    const later = await readQr(fan2);
    expect(later).not.toBe(first);
    expect(await api.verify(later)).toBe('SUCCESS');

    // Offline, the service worker still gives the app shell and the last tickets list.
    await fan2.goto(url('/tickets'));
    await fan2.locator('.ticket-card').first().waitFor();
    await fan2.context().setOffline(true);
    await fan2.reload();
    await shown(fan2.locator('.ticket-card').getByText('TicketGate Live: Arena Night'));
    await shot(fan2, 'tickets-offline');
    await fan2.context().setOffline(false);

    // Logging out ends the session: a reload stays logged out.
    await fan2.getByRole('button', { name: 'Log out' }).click();
    await fan2.getByRole('heading', { name: 'Log in' }).waitFor();
    await fan2.goto(url('/tickets'));
    await fan2.getByRole('heading', { name: 'Log in' }).waitFor();
    expect(await fan2.evaluate(() => localStorage.getItem('ticketgate.session'))).toBeNull();
  });

  it('asked no third-party host, and every screen passed the accessibility check', () => {
    const base = new URL(server.url).hostname;
    expect([...hosts].filter((h) => !h.startsWith(`${base}:`) && !h.startsWith('localhost:'))).toEqual([]);
    expect(a11y).toEqual([]);
  });
});

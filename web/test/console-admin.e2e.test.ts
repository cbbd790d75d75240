// The operator console's back office end to end: Debian's Chromium against the
// real sync server (embedded PostgreSQL), as the demo admin and as operator-b
// (the venue of HALL-B only). One server and one browser for the file; the
// fixtures (two disputed transfers, a fraud flag and an escalation per venue)
// are made through the API as fans would make them.
//
// With UPDATE_DOCS_IMAGES=1 the screenshots docs/operations.md shows are
// written to docs/images/ as well.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, startSyncServer, tempDir, type ServerProcess } from '../../gate-app/test/e2e/harness.js';
import { buildWebApp } from '../scripts/build.js';
import { DESKTOP, FanTestApi, axeProblems, launchFanBrowser } from './helpers/fan-browser.js';

const ARTIFACTS = join(ROOT, '.artifacts/console');
const DOCS_IMAGES = join(ROOT, 'docs/images');
/** The screenshots docs/operations.md shows: artifact name → docs image name. */
const FOR_DOCS: Record<string, string> = {
  'admin-disputes-confirm': 'console-dispute-reverse.png',
  'admin-revenue': 'console-reports.png',
  'admin-gates-code': 'console-enrol.png',
};
const ARENA = 'TicketGate Live: Arena Night';
const CHAMBER = 'Chamber Evening';

let server: ServerProcess;
let dist: { path: string; remove(): void };
let browser: Browser;
let api: FanTestApi;
const a11y: string[] = [];
const contexts: BrowserContext[] = [];
const ids = {} as Record<'fan' | 'fan2' | 'arena' | 'chamber' | 'arenaTransfer' | 'chamberTransfer' | 'arenaFlag' | 'chamberFlag', string>;

const url = (path: string) => server.url + path;
const shown = (l: Locator, timeout = 10_000) => l.first().waitFor({ state: 'visible', timeout });

/** A full-page screenshot under .artifacts/console and the axe check of the page as it is. */
async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  // The docs show the first screenful only, to keep the images few and small.
  if (process.env.UPDATE_DOCS_IMAGES && FOR_DOCS[name]) await page.screenshot({ path: join(DOCS_IMAGES, FOR_DOCS[name]) });
  for (const v of await axeProblems(page))
    a11y.push(`${name}: ${v.id} [${v.impact}] ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

async function signIn(who: string): Promise<Page> {
  // bypassCSP: only so axe-core can be injected.
  const ctx = await browser.newContext({ viewport: DESKTOP, deviceScaleFactor: 1, bypassCSP: true, locale: 'en-GB', timezoneId: 'UTC' });
  contexts.push(ctx);
  const page = await ctx.newPage();
  await page.goto(url('/console/disputes'));
  await page.getByLabel('Email').fill(`${who}@demo.ticketgate.test`);
  await page.getByLabel('Password').fill('demo-pass-123');
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('heading', { name: 'Disputes and transfers', level: 1 }).waitFor();
  return page;
}

async function openView(page: Page, menu: string, heading: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: menu, exact: true }).click();
  await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
}

/** A completed transfer of a fresh ticket of `event` from fan to fan2 at S$10, then disputed by the buyer. */
async function disputedTransfer(eventId: string, reason: string): Promise<string> {
  const { seatId } = await buyAs('fan', eventId);
  const after = await api.lastOutboxId();
  const t = await api.call<{ transfer_id: string }>('POST', '/api/transfer/initiate', {
    as: 'fan',
    body: { seat_id: seatId, seller_user_id: ids.fan, buyer_user_id: ids.fan2, credits_amount: 10 },
  });
  const [seller, buyer] = [await api.smsCode('+6591000001', after), await api.smsCode('+6591000002', after)];
  await api.call('POST', '/api/transfer/confirm', {
    as: 'fan2',
    body: { transfer_id: t.transfer_id, seller_otp: seller.code, buyer_otp: buyer.code },
  });
  await api.call('POST', '/api/transfer/dispute', { as: 'fan2', body: { transfer_id: t.transfer_id, reason } });
  return t.transfer_id;
}

async function buyAs(who: string, eventId: string): Promise<{ seatId: string }> {
  const ev = await api.call<{ seats: { seat_id: string; status: string; category: string }[] }>('GET', `/api/events/${eventId}`);
  const seat = [...ev.seats].reverse().find((s) => s.status === 'AVAILABLE')!;
  const order = await api.call<{ order_id: string }>('POST', '/api/reserve', { as: who, body: { seat_id: seat.seat_id } });
  await api.call('POST', '/api/pay', { as: who, body: { order_id: order.order_id } });
  return { seatId: seat.seat_id };
}

/** Veritix chat answers have no envelope. */
async function chat<T>(method: string, path: string, as: string, body?: unknown): Promise<T> {
  const login = await api.call<{ access_token: string }>('POST', '/api/auth/login', {
    body: { email: `${as}@demo.ticketgate.test`, password: 'demo-pass-123' },
  });
  const res = await server.fetch(url(path), {
    method,
    headers: { authorization: `Bearer ${login.access_token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  expect(res.status, `${method} ${path}`).toBe(200);
  return (await res.json()) as T;
}

const escalate = async (conversation: string, reason: string, metadata: object) => {
  await chat('POST', `/api/chat/${conversation}/messages`, 'fan', { content: `${reason}, please help` });
  return (await chat<{ escalation_id: string }>('POST', `/api/chat/${conversation}/escalate`, 'fan', { reason, metadata })).escalation_id;
};

beforeAll(async () => {
  dist = tempDir('tg-console-dist-');
  await buildWebApp(dist.path);
  server = await startSyncServer({ env: { WEB_APP_DIR: dist.path, RATE_LIMIT_OTP_PER_MINUTE: '1000', FRAUD_JOB_INTERVAL_MS: '3600000' } });
  api = new FanTestApi(server);
  browser = await launchFanBrowser();
  ids.fan = (await api.call<{ user_id: string }>('GET', '/api/auth/me', { as: 'fan' })).user_id;
  ids.fan2 = (await api.call<{ user_id: string }>('GET', '/api/auth/me', { as: 'fan2' })).user_id;
  const events = await api.call<{ event_id: string; name: string }[]>('GET', '/api/events?per_page=100');
  ids.arena = events.find((e) => e.name === ARENA)!.event_id;
  ids.chamber = events.find((e) => e.name === CHAMBER)!.event_id;
  ids.arenaTransfer = await disputedTransfer(ids.arena, 'Arena seat was not as described');
  ids.chamberTransfer = await disputedTransfer(ids.chamber, 'Chamber ticket never arrived');
  // Flags as the live rules record them (the rules themselves are tested in the server's suite).
  const flag = async (eventId: string) =>
    (
      await api.sql<{ id: string }>(
        `INSERT INTO fraud_flags (rule, subject, user_id, details, detected_at)
         VALUES ('bulk_allocation', $1, $2, json_build_object('event_id', $3::text, 'seats', 40, 'capacity', 200), now()) RETURNING id`,
        [`${ids.fan2}:${eventId}`, ids.fan2, eventId],
      )
    )[0]!.id;
  ids.arenaFlag = await flag(ids.arena);
  ids.chamberFlag = await flag(ids.chamber);
  await escalate(`support-arena-${Date.now()}`, 'Arena refund question', { event_id: ids.arena });
  await escalate(`support-chamber-${Date.now()}`, 'Chamber seat question', { event_id: ids.chamber });
}, 120_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await server?.dispose();
  dist?.remove();
});

describe('operator console back office', () => {
  let admin: Page;

  it('an admin reverses a disputed transfer with a reason, and the API and audit log show it', async () => {
    admin = await signIn('admin');
    const card = admin.locator('article.dispute', { hasText: ARENA });
    await shown(card);
    await shown(admin.locator('article.dispute', { hasText: CHAMBER }));
    await shot(admin, 'admin-disputes');
    await card.getByRole('button', { name: 'Reverse transfer' }).click();
    await card.getByLabel('Reason (kept in the audit log)').fill('Seller proved the seat was misdescribed');
    await shot(admin, 'admin-disputes-confirm');
    await card.getByRole('button', { name: 'Reverse now' }).click();
    await shown(admin.getByRole('status').getByText(/reversed\.$/));
    await expect.poll(() => admin.locator('article.dispute').count()).toBe(1);

    const t = await api.call<{ status: string; resolution: string }>('GET', `/api/transfers/${ids.arenaTransfer}`, { as: 'admin' });
    expect(t).toMatchObject({ status: 'REVERSED', resolution: 'REVERSED' });
    const audit = await api.call<{ action: string; target_id: string; details: { note?: string } }[]>(
      'GET',
      '/api/admin/audit?action=transfer.reverse',
      { as: 'admin' },
    );
    expect(audit.find((r) => r.target_id === ids.arenaTransfer)?.details.note).toBe('Seller proved the seat was misdescribed');
  });

  it('an admin confirms a fraud flag; the flag and the account are marked', async () => {
    await openView(admin, 'Fraud flags', 'Fraud flags');
    const row = admin.locator('[data-table=fraud-flags] tbody tr', { hasText: /40/ }).first();
    await shown(row);
    await expect.poll(() => admin.locator('[data-table=fraud-flags] tbody tr').count()).toBe(2);
    await shown(admin.getByRole('heading', { name: 'Scalper model' }));
    await shot(admin, 'admin-fraud');
    // The arena flag is the one whose details name the arena event.
    const arenaRow = admin.locator('[data-table=fraud-flags] tbody tr', { hasText: ids.arena });
    await arenaRow.getByRole('button', { name: 'Confirm' }).click();
    await arenaRow.getByRole('button', { name: 'Confirm flag' }).click();
    await shown(admin.getByRole('status').getByText('Flag confirmed.'));
    const [f] = await api.sql<{ status: string; decided_by: string; flagged: boolean }>(
      'SELECT f.status, f.decided_by, u.is_flagged AS flagged FROM fraud_flags f JOIN users u ON u.id = f.user_id WHERE f.id = $1',
      [ids.arenaFlag],
    );
    expect(f).toMatchObject({ status: 'CONFIRMED', flagged: true });
  });

  it('an admin splits revenue and downloads a daily report as a CSV file', async () => {
    await openView(admin, 'Revenue and reports', 'Revenue and reports');
    await shown(admin.getByText(/The split in force: organiser 85 %/));
    await admin.getByLabel('Total sales (S$)').fill('1000');
    await admin.getByLabel('Tickets sold').fill('10');
    await admin.getByRole('button', { name: 'Calculate split' }).click();
    await shown(admin.getByRole('cell', { name: 'S$850.00' }));
    await admin.getByRole('button', { name: 'Generate report' }).click();
    const button = admin.getByRole('button', { name: /^Download CSV/ });
    await shown(button);
    await shot(admin, 'admin-revenue');
    const [download] = await Promise.all([admin.waitForEvent('download'), button.click()]);
    expect(download.suggestedFilename()).toMatch(/^daily_report_\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = readFileSync(await download.path(), 'utf8');
    expect(csv.split('\n')[0]).toMatch(/event/i);
    expect(csv).toContain(ARENA);
    expect(csv).toContain(CHAMBER);
  });

  it('an admin sees escalations arrive live and replies to one', async () => {
    await openView(admin, 'Support', 'Support escalations');
    await shown(admin.getByText('Live', { exact: true }));
    await shown(admin.getByRole('button', { name: /Arena refund question/ }));
    // A new escalation while the page is open appears without a reload.
    const conversation = `support-live-${Date.now()}`;
    await escalate(conversation, 'Lost my ticket at the door', { event_id: ids.arena });
    await admin.getByRole('button', { name: /Lost my ticket at the door Singapore Indoor Stadium/ }).click();
    await shown(admin.getByText('Lost my ticket at the door, please help'));
    await admin.getByLabel('Reply as support').fill('Show your ID at the box office, we will reissue it.');
    await admin.getByRole('button', { name: 'Send reply' }).click();
    // The reply comes back over the conversation socket, as the fan's next message does.
    await shown(admin.locator('.chat [data-sender=agent]', { hasText: 'Show your ID at the box office' }));
    await chat('POST', `/api/chat/${conversation}/messages`, 'fan', { content: 'Thank you, on my way' });
    await shown(admin.getByText('Thank you, on my way'));
    await shot(admin, 'admin-support');
    const history = await chat<{ messages: { sender_type: string; content: string }[] }>('GET', `/api/chat/${conversation}/history`, 'fan');
    expect(history.messages.find((m) => m.sender_type === 'agent')?.content).toBe('Show your ID at the box office, we will reissue it.');
  });

  it('an admin filters the audit log and manages staff assignments and roles', async () => {
    await openView(admin, 'Audit log', 'Audit log');
    await admin.getByLabel('Action').selectOption('transfer.reverse');
    await admin.getByRole('button', { name: 'Apply filters' }).click();
    await shown(admin.getByRole('cell', { name: /Seller proved the seat was misdescribed/ }));
    await expect.poll(() => admin.locator('[data-table=audit] tbody tr').count()).toBe(1);
    await shot(admin, 'admin-audit');

    const email = `steward-${Date.now()}@example.test`;
    await api.call('POST', '/api/auth/register', {
      body: { email, phone: '+6598000077', password: 'correct-horse-77', name: 'New Steward' },
    });
    await openView(admin, 'Staff and venues', 'Staff and venues');
    const roleForm = admin.locator('form', { has: admin.getByRole('heading', { name: 'Change a role' }) });
    await roleForm.getByLabel('Email of the account').fill(email);
    await roleForm.getByLabel('New role').selectOption('staff');
    await roleForm.getByRole('button', { name: 'Change role' }).click();
    await shown(admin.getByRole('status').getByText(`${email}: Fan → Staff (door).`));
    const assign = admin.locator('form', { has: admin.getByRole('heading', { name: 'Assign to a venue' }) });
    await assign.getByLabel('Email of a staff or operator account').fill(email);
    await assign.getByLabel('Venue').selectOption({ label: 'Esplanade Theatre' });
    await assign.getByRole('button', { name: 'Assign' }).click();
    const row = admin.locator('[data-table=assignments] tbody tr', { hasText: email });
    await shown(row);
    await shot(admin, 'admin-staff');
    const assigned = await api.call<{ email: string; venue_name: string }[]>('GET', '/api/admin/venue-assignments', { as: 'admin' });
    expect(assigned.filter((a) => a.email === email).map((a) => a.venue_name)).toEqual(['Esplanade Theatre']);
    await row.getByRole('button', { name: /^Remove / }).click();
    await row.getByRole('button', { name: 'Remove', exact: true }).click();
    await expect.poll(() => row.count()).toBe(0);
    const after = await api.call<{ email: string }[]>('GET', '/api/admin/venue-assignments', { as: 'admin' });
    expect(after.some((a) => a.email === email)).toBe(false);
  });

  it('operator-b walks the same views: only its venue’s items, and no way to decide a dispute', async () => {
    const op = await signIn('operator-b');
    const cards = op.locator('article.dispute');
    await shown(cards);
    expect(await cards.count()).toBe(1);
    await shown(cards.getByText(CHAMBER));
    expect(await op.getByText(ARENA).count()).toBe(0);
    await shown(op.getByText('Only an admin can reverse or uphold a dispute.'));
    expect(await op.getByRole('button', { name: /Reverse|Uphold/ }).count()).toBe(0);
    await shot(op, 'operator-disputes');
    // The server refuses the operator too, whatever the page shows.
    const refused = await server.fetch(url('/api/transfer/reverse'), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${(await api.call<{ access_token: string }>('POST', '/api/auth/login', { body: { email: 'operator-b@demo.ticketgate.test', password: 'demo-pass-123' } })).access_token}`,
      },
      body: JSON.stringify({ transfer_id: ids.chamberTransfer }),
    });
    expect(refused.status).toBe(403);

    await openView(op, 'Fraud flags', 'Fraud flags');
    const flags = op.locator('[data-table=fraud-flags] tbody tr');
    await shown(flags.getByText(ids.chamber));
    expect(await flags.count()).toBe(1);
    await shot(op, 'operator-fraud');

    await openView(op, 'Revenue and reports', 'Revenue and reports');
    await op.getByRole('button', { name: 'Generate report' }).click();
    const [download] = await Promise.all([op.waitForEvent('download'), op.getByRole('button', { name: /^Download CSV/ }).click()]);
    const csv = readFileSync(await download.path(), 'utf8');
    expect(csv).toContain(CHAMBER);
    expect(csv).not.toContain(ARENA);
    await shot(op, 'operator-revenue');

    await openView(op, 'Support', 'Support escalations');
    await shown(op.getByRole('button', { name: /Chamber seat question Esplanade Theatre/ }));
    expect(await op.getByRole('button', { name: /Arena refund question|Lost my ticket/ }).count()).toBe(0);
    await shot(op, 'operator-support');

    const nav = op.getByRole('navigation', { name: 'Console' });
    expect(await nav.getByRole('link', { name: 'Audit log' }).count()).toBe(0);
    await op.goto(url('/console/audit'));
    await shown(op.getByText('This page is for admin accounts.'));
    await shot(op, 'operator-audit-refused');
  });

  // Only for the docs' picture of the first step of a show day (the gates view is tested with real gates elsewhere).
  it.runIf(process.env.UPDATE_DOCS_IMAGES)('docs: the gates view with a new enrolment code', async () => {
    await openView(admin, 'Gates', 'Gates');
    await admin.getByRole('button', { name: 'Create enrolment code' }).click();
    await shown(admin.getByLabel('Enrolment code'));
    await shot(admin, 'admin-gates-code');
  });

  it('has no serious or critical accessibility problems on any view', () => {
    expect(a11y).toEqual([]);
  });
});

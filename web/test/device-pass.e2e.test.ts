// Device-bound tickets end to end: Debian's Chromium runs the fan app against the
// real sync server, and a real headless gate process checks what the phone shows.
// The phone's clock is Playwright's (page.clock), so "40 s later" takes no 40 s.
import { assembleCode, codeSignedMessage, stepAt } from '@ticketgate/crypto';
import { decodeQrPng } from '@ticketgate/crypto/qr-image';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GateProcess, startSyncServer, tempDir, until, waitSnapshot, type ServerProcess } from '../../gate-app/test/e2e/harness.js';
import { buildWebApp } from '../scripts/build.js';
import { FanTestApi, captureScreen, launchFanBrowser, phoneContext, readQr } from './helpers/fan-browser.js';

const FAN = { email: 'fan@demo.ticketgate.test', password: 'demo-pass-123', phone: '' };

let server: ServerProcess;
let dist: { path: string; remove(): void };
let browser: Browser;
let api: FanTestApi;
let gate: GateProcess;
let eventId: string;
const hosts = new Set<string>();
const a11y: string[] = [];
const contexts: BrowserContext[] = [];

async function newPage(): Promise<Page> {
  const ctx = await phoneContext(browser, hosts);
  contexts.push(ctx);
  return ctx.newPage();
}
const url = (path: string) => server.url + path;

async function logIn(page: Page): Promise<void> {
  await page.goto(url('/login'));
  await page.getByLabel('Email').fill(FAN.email);
  await page.getByLabel('Password').fill(FAN.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('heading', { name: 'Upcoming events' }).waitFor();
}

/** Buys a CAT3 seat for the demo fan through the API (the buying screens have their own test). */
async function buy(): Promise<string> {
  const ev = await api.call<{ seats: { seat_id: string; status: string; category: string }[] }>('GET', `/api/events/${eventId}`);
  const used = new Set((await api.sql<{ id: string }>(`SELECT id FROM seats WHERE status <> 'AVAILABLE'`)).map((r) => r.id));
  const seat = ev.seats.find((s) => s.status === 'AVAILABLE' && s.category === 'CAT3' && !used.has(s.seat_id))!;
  const order = await api.call<{ order_id: string }>('POST', '/api/reserve', { as: 'fan', body: { seat_id: seat.seat_id } });
  await api.call('POST', '/api/pay', { as: 'fan', body: { order_id: order.order_id } });
  return seat.seat_id;
}

/** Moves the phone's clock up to real time if a reload left it behind (the gate runs on real time). */
async function phoneClockToNow(page: Page): Promise<void> {
  const behind = Date.now() - (await page.evaluate(() => Date.now()));
  if (behind > 1000) await page.clock.fastForward(behind);
}

/** The device-bound code shown on the ticket screen: 426 characters, format version 2. */
async function deviceCode(page: Page, other?: string): Promise<string> {
  return until('a new device-bound code on the screen', async () => {
    const code = await readQr(page);
    return code.length === 426 && code !== other ? code : undefined;
  });
}

beforeAll(async () => {
  dist = tempDir('tg-web-dist-');
  await buildWebApp(dist.path);
  server = await startSyncServer({ env: { WEB_APP_DIR: dist.path } });
  api = new FanTestApi(server);
  eventId = await api.arenaEventId();
  gate = await GateProcess.start('Door 1', server.url, await api.enrolmentCode());
  await waitSnapshot(gate, eventId);
  browser = await launchFanBrowser();
  FAN.phone = (await api.sql<{ phone: string }>('SELECT phone FROM users WHERE email = $1', [FAN.email]))[0]!.phone;
}, 180_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await gate?.dispose();
  await server?.dispose();
  dist?.remove();
});

describe('device-bound ticket codes', () => {
  let phone: Page;
  let seats: { offline: string; sold: string; moved: string };
  let early: string;

  it('binds this phone to bought tickets, then keeps making new codes offline; the gate admits the current one with its server down and refuses one from 40 s before', async () => {
    seats = { offline: await buy(), sold: await buy(), moved: await buy() };
    phone = await newPage();
    // The phone's clock starts 40 s in the past and is moved forward below: its "40 s ago" code is made now.
    await phone.clock.install({ time: Date.now() - 40_000 });
    await logIn(phone);
    for (const seat of [seats.sold, seats.moved, seats.offline]) {
      await phone.goto(url(`/tickets/${seat}`));
      await deviceCode(phone);
    }
    early = await deviceCode(phone);
    a11y.push(...(await captureScreen(phone, 'ticket-device-code')));
    // The whole phone screen (not just the canvas) reads back as the code shown: what a door scanner sees.
    // Asked again until it does, as the canvas redraws after a resize and the code turns every 15 s.
    const whole = await until('the phone screenshot to read back as the code on the screen', async () => {
      const text = decodeQrPng(await phone.screenshot({ fullPage: true }));
      return text !== null && text === (await readQr(phone)) ? text : undefined;
    });
    expect(whole).toHaveLength(426);
    // The signing key cannot be taken out of the browser: it was made non-extractable.
    expect(
      await phone.evaluate(async () => {
        const db = await new Promise<IDBDatabase>((res, rej) => {
          const r = indexedDB.open('ticketgate-device');
          r.onsuccess = () => res(r.result);
          r.onerror = () => rej(r.error);
        });
        const key = await new Promise<{ algorithm: string; privateKey: CryptoKey }>((res) => {
          const r = db.transaction('keys').objectStore('keys').get('device');
          r.onsuccess = () => res(r.result);
        });
        const exported = await crypto.subtle.exportKey('pkcs8', key.privateKey).then(
          () => 'exported',
          (e: Error) => e.name,
        );
        return { algorithm: key.algorithm, extractable: key.privateKey.extractable, exported };
      }),
    ).toEqual({ algorithm: 'Ed25519', extractable: false, exported: 'InvalidAccessError' });

    await phone.context().setOffline(true);
    await phone.clock.fastForward(20_000);
    const middle = await deviceCode(phone, early);
    await phone.clock.fastForward(20_000);
    const now = await deviceCode(phone, middle);
    await phone.getByText('New code in').first().waitFor();
    a11y.push(...(await captureScreen(phone, 'ticket-device-code-offline')));

    await server.stop();
    expect(await gate.scan(early)).toMatchObject({ result: 'EXPIRED', reason: expect.stringMatching(/^expired \([4-6]\d s old\)$/) });
    expect(await gate.scan(now)).toMatchObject({ result: 'SUCCESS', seat_id: seats.offline, holder: 'Demo Fan' });
    expect(await gate.scan(now)).toMatchObject({ result: 'DUPLICATE', first_admitted_by: 'Door 1' });
  });

  it('the pass copied into a second browser profile, without the phone key, makes no admissible code', async () => {
    await server.start();
    await gate.waitStatus('back online', (s) => s.connectivity === 'online', 60_000);
    // The admission made offline is uploaded with the code as its proof, and the server accepts it.
    await until('the offline admission accepted by the server', async () => {
      const [seat] = await api.sql<{ status: string }>('SELECT status FROM seats WHERE id = $1', [seats.offline]);
      return seat?.status === 'CHECKED_IN';
    });
    await phone.goto(url(`/tickets/${seats.sold}`));
    await phoneClockToNow(phone);
    await deviceCode(phone);
    const copied = await phone.evaluate(async (seatId) => {
      const db = await new Promise<IDBDatabase>((res) => {
        const r = indexedDB.open('ticketgate-device');
        r.onsuccess = () => res(r.result);
      });
      return new Promise<{ pass: string }>((res) => {
        const r = db.transaction('passes').objectStore('passes').get(seatId);
        r.onsuccess = () => res(r.result);
      });
    }, seats.sold);
    const pass = Uint8Array.from(Buffer.from(copied.pass, 'base64url'));
    // The second profile signs (pass, step) with the only key it can have: its own.
    const other = await newPage();
    await other.goto(url('/login'));
    const step = stepAt(Date.now());
    const signature = await other.evaluate(
      async ({ message }) => {
        const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify'])) as CryptoKeyPair;
        return Array.from(new Uint8Array(await crypto.subtle.sign({ name: 'Ed25519' }, pair.privateKey, new Uint8Array(message))));
      },
      { message: Array.from(codeSignedMessage(pass, step)) },
    );
    const forged = assembleCode(pass, step, Uint8Array.from(signature));
    expect(await gate.scan(forged)).toMatchObject({ result: 'QR_INVALID', reason: 'device_signature_failed' });
  });

  it("after a transfer the seller's pass is refused at the synced gate; after a move to another phone the old phone's codes are", async () => {
    // Transfer (online, through the API: the transfer screens have their own test).
    const [fan2] = await api.sql<{ id: string; phone: string }>(`SELECT id, phone FROM users WHERE email = 'fan2@demo.ticketgate.test'`);
    const [fan] = await api.sql<{ id: string }>('SELECT id FROM users WHERE email = $1', [FAN.email]);
    const since = await api.lastOutboxId();
    const t = await api.call<{ transfer_id: string }>('POST', '/api/transfer/initiate', {
      as: 'fan',
      body: { seat_id: seats.sold, seller_user_id: fan!.id, buyer_user_id: fan2!.id, credits_amount: 0 },
    });
    await api.call('POST', '/api/transfer/confirm', {
      as: 'fan',
      body: {
        transfer_id: t.transfer_id,
        seller_otp: (await api.smsCode(FAN.phone, since)).code,
        buyer_otp: (await api.smsCode(fan2!.phone, since)).code,
      },
    });
    const generation = (await api.sql<{ generation: number }>('SELECT generation FROM seats WHERE id = $1', [seats.sold]))[0]!.generation;
    await gate.waitSeat(seats.sold, 'the transfer', (s) => s.generation === generation);
    // The seller's phone is still offline and still makes codes from its stored pass.
    await phone.goto(url(`/tickets/${seats.sold}`));
    await phoneClockToNow(phone);
    expect(await gate.scan(await deviceCode(phone))).toMatchObject({ result: 'NOT_FOUND', reason: 'revoked_generation' });

    // A second phone of the same fan: the ticket is on the first one until moved, explicitly.
    const second = await newPage();
    await logIn(second);
    await second.goto(url(`/tickets/${seats.moved}`));
    await second.getByRole('heading', { name: 'On another phone' }).waitFor();
    a11y.push(...(await captureScreen(second, 'ticket-on-another-phone')));
    await phone.goto(url(`/tickets/${seats.moved}`));
    await phoneClockToNow(phone);
    const oldPhoneCode = await deviceCode(phone);
    await second.getByRole('button', { name: 'Move the ticket to this phone' }).click();
    const newPhoneCode = await deviceCode(second);
    const moved = (await api.sql<{ generation: number }>('SELECT generation FROM seats WHERE id = $1', [seats.moved]))[0]!.generation;
    await gate.waitSeat(seats.moved, 'the move', (s) => s.generation === moved);
    expect(await gate.scan(oldPhoneCode)).toMatchObject({ result: 'NOT_FOUND', reason: 'revoked_generation' });
    expect(await gate.scan(await deviceCode(phone, oldPhoneCode))).toMatchObject({ result: 'NOT_FOUND' });
    expect(await gate.scan(newPhoneCode)).toMatchObject({ result: 'SUCCESS', seat_id: seats.moved });
  });

  it('asked no third-party host, and every screen passed the accessibility check', () => {
    const base = new URL(server.url).hostname;
    expect([...hosts].filter((h) => !h.startsWith(`${base}:`) && !h.startsWith('localhost:'))).toEqual([]);
    expect(a11y).toEqual([]);
  });
});

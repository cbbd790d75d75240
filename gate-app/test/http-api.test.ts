import { mkdirSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { kiosk } from '@ticketgate/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createGateHttpServer,
  GateEngine,
  listenGateHttp,
  newLocalApiToken,
  PIN_ATTEMPTS,
  PIN_LOCK_MS,
  SupervisorDesk,
} from '../src/engine/index.js';
import { createLocalHall, tempDir, type LocalHall } from './helpers/local-hall.js';

describe('local HTTP API', () => {
  let hall: LocalHall | undefined;
  let gate: GateEngine | undefined;
  let server: Server | undefined;
  const token = newLocalApiToken();
  const auth = { authorization: `Bearer ${token}` };
  const get = (url: string) => fetch(url, { headers: auth });
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((r) => (server ? server.close(r) : r(undefined)));
    await gate?.close();
    hall?.cleanup();
  });

  async function start(withUi = false, supervisor?: SupervisorDesk): Promise<string> {
    hall = await createLocalHall();
    gate = await GateEngine.open({ dataDir: hall.dir, timeZone: 'Europe/Berlin' });
    let uiDir: string | undefined;
    if (withUi) {
      uiDir = join(hall.dir, 'ui');
      mkdirSync(uiDir);
      writeFileSync(join(uiDir, 'index.html'), '<!doctype html><title>gate</title>');
      writeFileSync(join(uiDir, 'app.js'), 'console.log(1)');
    }
    server = createGateHttpServer(gate, { token, ...(uiDir ? { uiDir } : {}), ...(supervisor ? { supervisor } : {}) });
    return (await listenGateHttp(server, '127.0.0.1:0')).url;
  }

  const post = (url: string, body: unknown) =>
    fetch(`${url}/scan`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  it('answers a scan with the verdict and the seat, and the status the kiosk shows', async () => {
    const url = await start();
    const res = await post(url, { payload: hall!.ticket(hall!.seats.sold) });
    expect(res.status).toBe(200);
    expect(kiosk.VerdictReply.parse(await res.json())).toMatchObject({
      result: 'SUCCESS',
      message: '✅ Valid ticket. Welcome!',
      seat_id: hall!.seats.sold.seatId,
      row: 'A',
      number: 1,
      category: 'CAT1',
      holder: 'Holder A1',
      event_name: 'Local Test Night',
      first_admitted_at: null,
    });
    const dup = kiosk.VerdictReply.parse(await (await post(url, { payload: hall!.ticket(hall!.seats.sold), source: 'camera' })).json());
    expect(dup).toMatchObject({ result: 'DUPLICATE', first_admitted_by: 'Gate Test' });
    expect(typeof dup.first_admitted_at).toBe('string');

    const status = kiosk.GateStatus.parse(await (await get(`${url}/status`)).json());
    expect(status).toMatchObject({
      hall_id: 'HALL-A',
      device_name: 'Gate Test',
      hall_name: 'Main Arena',
      revoked: false,
      backlog: 2,
      conflicts: 0,
      clock_warning: false,
      counts: { SUCCESS: 1, DUPLICATE: 1, QR_INVALID: 0 },
      total_scans: 2,
    });
    expect(['online', 'degraded', 'offline']).toContain(status.connectivity);

    const seat = kiosk.SeatReply.parse(await (await get(`${url}/seats/${hall!.seats.sold.seatId}`)).json());
    expect(seat).toMatchObject({ status: 'CHECKED_IN', admitted: true, admitted_by: 'Gate Test', admitted_source: 'local' });
    const scans = kiosk.ScansReply.parse(await (await get(`${url}/scans?limit=1`)).json());
    expect(scans).toHaveLength(1);
    expect(scans[0]!.source).toBe('camera');
  });

  it('refuses malformed requests without recording anything', async () => {
    const url = await start();
    // Every refusal is the contract's error reply, with its typed code.
    const refused = async (res: Response) => [res.status, kiosk.KioskError.parse(await res.json()).error];
    expect(await refused(await post(url, 'not json'))).toEqual([400, 'VALIDATION_ERROR']);
    expect(await refused(await post(url, { payload: '' }))).toEqual([400, 'VALIDATION_ERROR']);
    expect(await refused(await post(url, { payload: 'x'.repeat(5000) }))).toEqual([400, 'VALIDATION_ERROR']);
    expect(await refused(await post(url, { payload: 'x'.repeat(20_000) }))).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    expect(await refused(await get(`${url}/scan`))).toEqual([405, 'METHOD_NOT_ALLOWED']);
    expect(await refused(await get(`${url}/seats/not-a-uuid`))).toEqual([400, 'INVALID_UUID']);
    expect(await refused(await get(`${url}/seats/${crypto.randomUUID()}`))).toEqual([404, 'SEAT_NOT_FOUND']);
    expect(await refused(await get(`${url}/nothing`))).toEqual([404, 'NOT_FOUND']);
    expect(gate!.status().total_scans).toBe(0);
  });

  it('serves the kiosk UI files and nothing outside their folder', async () => {
    const url = await start(true);
    // Static files need no token; the page carries it (for an allowed Host only, see local-api-security.test.ts).
    const index = await fetch(`${url}/`);
    expect(index.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await index.text()).toContain('<title>gate</title>');
    expect((await fetch(`${url}/app.js`)).headers.get('content-type')).toMatch(/^text\/javascript/);
    expect((await fetch(`${url}/..%2Fgate.sqlite`)).status).toBe(404);
    expect((await fetch(`${url}/%2e%2e/%2e%2e/etc/passwd`)).status).toBe(404);
  });

  it('binds to the given address only and rejects a malformed one', async () => {
    const url = await start();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const other = createGateHttpServer(gate!, { token });
    await expect(listenGateHttp(other, 'localhost')).rejects.toThrow(/HOST:PORT/);
  });

  it('answers 503 until the gate is enrolled', async () => {
    const dir = tempDir();
    try {
      gate = await GateEngine.open({ dataDir: dir.path });
      server = createGateHttpServer(gate, { token });
      const { url } = await listenGateHttp(server, '127.0.0.1:0');
      const res = await post(url, { payload: 'ABC' });
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ error: 'NOT_ENROLLED' });
      expect((await (await get(`${url}/status`)).json()) as Record<string, unknown>).toMatchObject({ enrolled: false });
    } finally {
      await gate?.close();
      gate = undefined;
      dir.remove();
    }
  });

  const postTo = (url: string, path: string, body: unknown) =>
    fetch(`${url}${path}`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it("names the ticket's hall and venue on a WRONG_HALL verdict, from the halls of the manifest, and the zone in the status", async () => {
    const url = await start();
    gate!.store.db.transaction(() =>
      gate!.store.halls.replace([
        { hall_id: 'HALL-A', hall_name: 'Main Arena', venue_name: 'Test Venue' },
        { hall_id: 'HALL-B', hall_name: 'Hall B', venue_name: 'Esplanade Theatre' },
      ]),
    )();
    const other = kiosk.VerdictReply.parse(
      await (await post(url, { payload: hall!.ticket(hall!.seats.sold, { hallCode: 'HALL-B' }) })).json(),
    );
    expect(other).toMatchObject({
      result: 'WRONG_HALL',
      correct_hall: 'HALL-B',
      correct_hall_name: 'Hall B',
      correct_venue_name: 'Esplanade Theatre',
    });
    const unknown = kiosk.VerdictReply.parse(
      await (await post(url, { payload: hall!.ticket(hall!.seats.sold, { hallCode: 'HALL-Z' }) })).json(),
    );
    expect(unknown).toMatchObject({ result: 'WRONG_HALL', correct_hall: 'HALL-Z', correct_hall_name: null, correct_venue_name: null });
    expect(kiosk.GateStatus.parse(await (await get(`${url}/status`)).json())).toMatchObject({
      time_zone: 'Europe/Berlin',
      device_unknown: false,
    });
  });

  it('opens the supervisor view with the PIN only, locks after repeated wrong PINs, and pulses the relay', async () => {
    let now = 1_000_000;
    const pulses: number[] = [];
    const desk = new SupervisorDesk({
      pin: '2468',
      now: () => now,
      relay: { pulse: () => void pulses.push(now) },
      scanners: () => [{ id: 'hid-1', state: 'connected', detail: null }],
    });
    const url = await start(false, desk);
    expect(await (await postTo(url, '/supervisor/unlock', { pin: '2468' })).json()).toEqual({
      relay: true,
      scanners: [{ id: 'hid-1', state: 'connected', detail: null }],
    });
    const bad = await postTo(url, '/supervisor/unlock', { pin: 'abcd' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: 'VALIDATION_ERROR' });
    // Guessing: the wrong PINs, then even the right one is refused until the lock ends.
    for (let i = 1; i < PIN_ATTEMPTS; i++) expect((await postTo(url, '/supervisor/unlock', { pin: '0000' })).status).toBe(403);
    const locked = await postTo(url, '/supervisor/relay-test', { pin: '0000' });
    expect([locked.status, ((await locked.json()) as { error: string }).error]).toEqual([429, 'PIN_LOCKED']);
    expect((await postTo(url, '/supervisor/relay-test', { pin: '2468' })).status).toBe(429);
    expect(pulses).toEqual([]);
    now += PIN_LOCK_MS;
    const pulsed = kiosk.RelayTestReply.parse(await (await postTo(url, '/supervisor/relay-test', { pin: '2468' })).json());
    expect(pulsed.pulsed_at).toBe(new Date(now).toISOString());
    expect(pulses).toEqual([now]);
  });

  it('keeps the supervisor view shut without a PIN, and refuses a relay test without a relay', async () => {
    const url = await start(false, new SupervisorDesk({ pin: undefined, now: Date.now }));
    const res = await postTo(url, '/supervisor/unlock', { pin: '1234' });
    expect([res.status, ((await res.json()) as { error: string }).error]).toEqual([403, 'NO_SUPERVISOR_PIN']);
    server!.closeAllConnections();
    await new Promise((r) => server!.close(r));
    server = createGateHttpServer(gate!, { token, supervisor: new SupervisorDesk({ pin: '1234', now: Date.now }) });
    const { url: url2 } = await listenGateHttp(server, '127.0.0.1:0');
    const relay = await postTo(url2, '/supervisor/relay-test', { pin: '1234' });
    expect([relay.status, ((await relay.json()) as { error: string }).error]).toEqual([409, 'NO_RELAY']);
  });

  it('refuses enrolment from the kiosk for an enrolled gate, and says when the server cannot be reached', async () => {
    const url = await start();
    const again = await postTo(url, '/enrol', { code: 'ABCD-EFGH-IJKL-MNOP', server_url: 'http://127.0.0.1:1' });
    expect([again.status, ((await again.json()) as { error: string }).error]).toEqual([409, 'ALREADY_ENROLLED']);
    const dir = tempDir();
    const fresh = await GateEngine.open({ dataDir: dir.path });
    const s2 = createGateHttpServer(fresh, { token });
    try {
      const { url: u } = await listenGateHttp(s2, '127.0.0.1:0');
      const noServer = await postTo(u, '/enrol', { code: 'ABCD-EFGH-IJKL-MNOP' });
      expect(noServer.status).toBe(400);
      expect(await noServer.json()).toMatchObject({ error: 'VALIDATION_ERROR', message: expect.stringContaining('enrolment QR') });
      expect((await postTo(u, '/enrol', { code: 'ABCD', server_url: 'http://127.0.0.1:1' })).status).toBe(400);
      expect((await postTo(u, '/enrol', { code: 'ABCD-EFGH-IJKL-MNOP', server_url: 'javascript:alert(1)' })).status).toBe(400);
      const down = await postTo(u, '/enrol', { code: 'ABCD-EFGH-IJKL-MNOP', server_url: 'http://127.0.0.1:1' });
      expect([down.status, ((await down.json()) as { error: string }).error]).toEqual([503, 'SERVER_UNREACHABLE']);
      expect(fresh.isEnrolled()).toBe(false);
    } finally {
      s2.closeAllConnections();
      await new Promise((r) => s2.close(r));
      await fresh.close();
      dir.remove();
    }
  });
});

// The local API refuses everything that is not the kiosk's own UI: the guard's
// pure checks, then the real engine behind its HTTP server (nothing recorded for
// a refused request). hardware-gate.test.ts replays the same attacks against the
// headless gate with a relay board and checks that the turnstile never moves.
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { kiosk } from '@ticketgate/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createGateHttpServer,
  GateEngine,
  hostAllowed,
  injectToken,
  isLoopbackHost,
  listenGateHttp,
  newLocalApiToken,
  originAllowed,
  readLocalApiToken,
  refuseApiRequest,
  tokenMatches,
  writeLocalApiToken,
} from '../src/engine/index.js';
import { launchToken } from '../src/renderer/gate-client.js';
import { createLocalHall, tempDir, type LocalHall } from './helpers/local-hall.js';
import { attacks, rawRequest } from './helpers/raw-http.js';

describe('local API guard (pure)', () => {
  const policy = { token: newLocalApiToken(), port: 8100, public: false };

  it('answers to loopback names with its own port only', () => {
    for (const h of ['127.0.0.1:8100', 'localhost:8100', '[::1]:8100', 'LOCALHOST:8100']) expect(hostAllowed(h, policy), h).toBe(true);
    for (const h of [
      undefined,
      '',
      '127.0.0.1',
      '127.0.0.1:8101',
      'evil.example:8100',
      '127.0.0.1.evil.example:8100',
      '192.168.1.20:8100',
      '[::1]:80',
      'localhost:8100:1',
    ]) {
      expect(hostAllowed(h, policy), String(h)).toBe(false);
    }
    // --http-public: IP literals of the hall network too, never a (rebindable) DNS name.
    const pub = { ...policy, public: true };
    expect(hostAllowed('192.168.1.20:8100', pub)).toBe(true);
    expect(hostAllowed('[fe80::1]:8100', pub)).toBe(true);
    expect(hostAllowed('gate.example:8100', pub)).toBe(false);
  });

  it('takes no Origin or exactly its own', () => {
    expect(originAllowed(undefined, '127.0.0.1:8100')).toBe(true);
    expect(originAllowed('http://127.0.0.1:8100', '127.0.0.1:8100')).toBe(true);
    for (const o of [
      'https://127.0.0.1:8100',
      'http://127.0.0.1:8101',
      'http://localhost:8100',
      'null',
      'http://127.0.0.1:8100.evil.example',
      'garbage',
    ]) {
      expect(originAllowed(o, '127.0.0.1:8100'), o).toBe(false);
    }
  });

  it('compares the bearer token exactly', () => {
    expect(tokenMatches(`Bearer ${policy.token}`, policy.token)).toBe(true);
    for (const a of [
      undefined,
      '',
      policy.token,
      `bearer${policy.token}`,
      `Bearer ${policy.token}x`,
      `Bearer ${policy.token.slice(1)}`,
      `Basic ${policy.token}`,
    ]) {
      expect(tokenMatches(a, policy.token), String(a)).toBe(false);
    }
  });

  it('checks Host, then Origin, then the token, then the body type', () => {
    const ok = { host: '127.0.0.1:8100', authorization: `Bearer ${policy.token}`, 'content-type': 'application/json; charset=utf-8' };
    expect(refuseApiRequest(ok, true, policy)).toBeNull();
    expect(refuseApiRequest({ ...ok, 'content-type': undefined }, false, policy)).toBeNull();
    expect(refuseApiRequest({ ...ok, host: 'evil.example:8100' }, true, policy)?.code).toBe('FORBIDDEN_HOST');
    expect(refuseApiRequest({ ...ok, origin: 'http://evil.example' }, true, policy)?.code).toBe('FORBIDDEN_ORIGIN');
    expect(refuseApiRequest({ ...ok, authorization: undefined }, true, policy)).toMatchObject({ status: 401, code: 'UNAUTHORISED' });
    expect(refuseApiRequest({ ...ok, 'content-type': 'text/plain' }, true, policy)).toMatchObject({
      status: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
    });
  });

  it('knows loopback addresses (the CLI binds only those without --http-public)', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost']) expect(isLoopbackHost(h), h).toBe(true);
    for (const h of ['0.0.0.0', '::', '192.168.1.20', 'gate.local', '128.0.0.1']) expect(isLoopbackHost(h), h).toBe(false);
  });

  it('puts the token into the page right after <head>, where the renderer finds it', () => {
    const html = injectToken('<!doctype html><html><head><meta charset="utf-8"><title>x</title></head></html>', 'T0KEN-abcdefghijklmnop');
    expect(html).toContain(`<head><meta name="${kiosk.LOCAL_API_TOKEN_META}" content="T0KEN-abcdefghijklmnop"><meta charset`);
    const doc = {
      querySelector: (sel: string) => (sel.includes(kiosk.LOCAL_API_TOKEN_META) ? ({ content: 'from-meta' } as HTMLMetaElement) : null),
    };
    expect(launchToken({}, doc as unknown as Document)).toBe('from-meta');
    expect(launchToken({ ticketgateKiosk: { localApiToken: 'from-preload' } }, doc as unknown as Document)).toBe('from-preload');
    expect(launchToken({}, { querySelector: () => null })).toBeNull();
  });

  it('writes the launch token readable by the gate user only, a new one each launch', () => {
    const dir = tempDir();
    try {
      const a = writeLocalApiToken(dir.path);
      expect(statSync(join(dir.path, kiosk.LOCAL_API_TOKEN_FILE)).mode & 0o777).toBe(0o600);
      expect(readLocalApiToken(dir.path)).toBe(a);
      const b = writeLocalApiToken(dir.path);
      expect(b).not.toBe(a);
      expect(readLocalApiToken(dir.path)).toBe(b);
      expect(writeLocalApiToken(dir.path, 'handed-in-token-1234567')).toBe('handed-in-token-1234567');
      expect(() => writeLocalApiToken(dir.path, 'short')).toThrow(/16–128/);
    } finally {
      dir.remove();
    }
  });
});

describe('local API behind its guard (real engine)', () => {
  let hall: LocalHall | undefined;
  let gate: GateEngine | undefined;
  let server: Server | undefined;
  const token = newLocalApiToken();
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((r) => (server ? server.close(r) : r(undefined)));
    await gate?.close();
    hall?.cleanup();
  });

  async function start(opts: { holderNames?: boolean } = {}): Promise<string> {
    hall = await createLocalHall();
    gate = await GateEngine.open({ dataDir: hall.dir, ...opts });
    const uiDir = join(hall.dir, 'ui');
    mkdirSync(uiDir);
    writeFileSync(join(uiDir, 'index.html'), '<!doctype html><html><head><title>gate</title></head><body></body></html>');
    server = createGateHttpServer(gate, { token, uiDir });
    return (await listenGateHttp(server, '127.0.0.1:0')).url;
  }

  it('refuses every request that is not the kiosk own, before recording anything', async () => {
    const url = await start();
    for (const a of attacks(url, token, hall!.ticket(hall!.seats.sold))) {
      const res = await a.send();
      expect(res.status, `${a.name}: ${res.body}`).toBeGreaterThanOrEqual(400);
      expect(res.status, a.name).toBeLessThan(500);
      // Node itself answers a request without Host (400, empty body); every other refusal is the API's error reply.
      if (a.name !== 'no Host') expect(kiosk.KioskError.safeParse(JSON.parse(res.body)).success, a.name).toBe(true);
    }
    // Reads are guarded too: a rebound page cannot read the status, the scans or a seat's holder.
    const seatPath = `/seats/${hall!.seats.sold.seatId}`;
    for (const path of ['/status', '/scans', seatPath]) {
      expect(
        (await rawRequest(`${url}${path}`, { headers: { host: `evil.example:${new URL(url).port}`, authorization: `Bearer ${token}` } }))
          .status,
      ).toBe(403);
      expect((await rawRequest(`${url}${path}`, { headers: { host: new URL(url).host } })).status).toBe(401);
    }
    expect(gate!.status().total_scans).toBe(0);
    expect(gate!.seat(hall!.seats.sold.seatId)?.admitted_at).toBeNull();

    // The same request done right is admitted: the refusals above were the guard, not a broken scan.
    const ok = await rawRequest(`${url}/scan`, {
      method: 'POST',
      headers: { host: new URL(url).host, origin: url, authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ payload: hall!.ticket(hall!.seats.sold) }),
    });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toMatchObject({ result: 'SUCCESS' });
  });

  it('gives the token to the page only under a Host it answers to', async () => {
    const url = await start();
    const port = new URL(url).port;
    const page = await rawRequest(`${url}/`, { headers: { host: `localhost:${port}` } });
    expect(page.status).toBe(200);
    expect(page.body).toContain(`content="${token}"`);
    const rebound = await rawRequest(`${url}/`, { headers: { host: `evil.example:${port}` } });
    expect(rebound.status).toBe(200);
    expect(rebound.body).not.toContain(token);
    expect(rebound.body).toContain('<title>gate</title>');
  });

  it('shows and keeps no holder names when told so', async () => {
    const url = await start({ holderNames: false });
    const headers = { host: new URL(url).host, authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const verdict = JSON.parse(
      (await rawRequest(`${url}/scan`, { method: 'POST', headers, body: JSON.stringify({ payload: hall!.ticket(hall!.seats.sold) }) }))
        .body,
    ) as kiosk.VerdictReply;
    expect(verdict).toMatchObject({ result: 'SUCCESS', row: 'A', number: 1, holder: null });
    const seat = JSON.parse((await rawRequest(`${url}/seats/${hall!.seats.sold2.seatId}`, { headers })).body) as kiosk.SeatReply;
    expect(seat).toMatchObject({ status: 'SOLD', holder: null });
    // Not only hidden: the snapshot on disk holds none.
    const names = gate!.store.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM seats WHERE holder_name IS NOT NULL').get()!.n;
    expect(names).toBe(0);
  });
});

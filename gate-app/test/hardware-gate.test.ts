import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PtyPair, RelayBoardSimulator, SerialScannerSimulator } from '@ticketgate/hardware/simulators';
import { afterEach, describe, expect, it } from 'vitest';
import { readLocalApiToken } from '../src/engine/index.js';
import { freePort, ROOT, until } from './e2e/harness.js';
import { createLocalHall, type LocalHall } from './helpers/local-hall.js';
import { attacks } from './helpers/raw-http.js';

// The headless gate with real serial I/O: a scanner and a relay board played on
// pseudo-terminals (socat), no server (a locally prepared data folder). Also the
// local API's refusals, checked where they matter: the relay never moves.
describe('headless gate with a serial scanner and a turnstile relay', () => {
  let hall: LocalHall | undefined;
  let gate: ChildProcess | undefined;
  const pairs: PtyPair[] = [];
  const closers: (() => Promise<void>)[] = [];

  afterEach(async () => {
    for (const c of closers.splice(0)) await c().catch(() => {});
    if (gate && gate.exitCode === null) {
      gate.kill('SIGTERM');
      await new Promise((r) => gate!.once('exit', r));
    }
    for (const p of pairs.splice(0)) await p.stop();
    hall?.cleanup();
  });

  /** The headless gate on a scanner pty and a relay pty, its local API on a free port; resolves once both are up. */
  async function startGate() {
    hall = await createLocalHall();
    const scannerPty = await PtyPair.create({ names: ['gate-scanner', 'scanner'] });
    const relayPty = await PtyPair.create({ names: ['gate-relay', 'relay'] });
    pairs.push(scannerPty, relayPty);
    const config = join(hall.dir, 'hardware.json');
    writeFileSync(config, JSON.stringify({ output: { type: 'relay-serial', path: relayPty.a, channel: 1, pulseMs: 50 } }));
    const relay = new RelayBoardSimulator(relayPty.b);
    await relay.open();
    closers.push(() => relay.close());

    const port = await freePort();
    gate = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'gate-app/src/cli.ts',
        '--data',
        hall.dir,
        '--http',
        `127.0.0.1:${port}`,
        '--serial',
        scannerPty.a,
        '--hardware',
        config,
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const verdicts: { result: string; seat_id: string | null }[] = [];
    let err = '';
    gate.stdout!.on('data', (d: Buffer) => {
      for (const l of d.toString().split('\n'))
        if (l.startsWith('{')) verdicts.push(JSON.parse(l) as { result: string; seat_id: string | null });
    });
    gate.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const url = `http://127.0.0.1:${port}`;
    // The launch token is written before the API listens.
    await until(
      'the gate',
      async () => (await fetch(`${url}/status`, { headers: { authorization: `Bearer ${readLocalApiToken(hall!.dir)}` } })).ok,
      30_000,
      100,
    );
    await until('the scanner port', () => err.includes('scanners: connected'), 10_000).catch((e: Error) => {
      throw new Error(`${e.message}\n${err}`);
    });
    return {
      hall,
      url,
      token: readLocalApiToken(hall.dir),
      relay,
      scannerPty,
      verdicts,
      ons: () => relay.frames().filter((f) => f.on).length,
    };
  }

  it('admits from the serial scanner and pulses the relay on SUCCESS only', async () => {
    const { hall, scannerPty, verdicts, ons, relay } = await startGate();
    const scanner = new SerialScannerSimulator(scannerPty.b);
    await scanner.open();
    closers.push(() => scanner.close());

    await scanner.send(hall.ticket(hall.seats.sold));
    await until('a SUCCESS verdict', () => verdicts.length === 1, 10_000);
    expect(verdicts[0]).toMatchObject({ result: 'SUCCESS', seat_id: hall.seats.sold.seatId });
    await until('the relay pulse', () => ons() === 1 && relay.channels().get(1) === false, 5_000);

    // Refusals never open the turnstile (the scanner dedupe window is 1.5 s: wait it out for the same code).
    await new Promise((r) => setTimeout(r, 1_600));
    await scanner.send(hall.ticket(hall.seats.sold));
    await scanner.send(hall.ticket(hall.seats.held));
    await scanner.send('NOT-A-TICKET');
    await until('three more verdicts', () => verdicts.length === 4, 10_000);
    expect(verdicts.slice(1).map((v) => v.result)).toEqual(['DUPLICATE', 'UNPAID', 'QR_INVALID']);
    await new Promise((r) => setTimeout(r, 300));
    expect(ons()).toBe(1);
    expect(relay.channels().get(1)).toBe(false);

    gate!.kill('SIGTERM');
    expect(await new Promise((r) => gate!.once('exit', r))).toBe(0);
  }, 60_000);

  it('never records or pulses for a local API request that is not the kiosk own', async () => {
    const { hall, url, token, verdicts, ons, relay } = await startGate();
    const ticket = hall.ticket(hall.seats.sold);
    for (const a of attacks(url, token, ticket)) {
      const res = await a.send();
      expect(res.status, `${a.name}: ${res.body}`).toBeGreaterThanOrEqual(400);
      expect(res.status, a.name).toBeLessThan(500);
    }
    const headers = { authorization: `Bearer ${token}` };
    const status = (await (await fetch(`${url}/status`, { headers })).json()) as { total_scans: number };
    expect(status.total_scans).toBe(0);
    expect(verdicts).toEqual([]);
    expect(ons()).toBe(0);

    // The kiosk's own request (token, JSON, no foreign Origin) opens it: the refusals were the guard.
    const ok = await fetch(`${url}/scan`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ payload: ticket }),
    });
    expect(((await ok.json()) as { result: string }).result).toBe('SUCCESS');
    await until('the relay pulse', () => ons() === 1 && relay.channels().get(1) === false, 5_000);
  }, 60_000);

  it('refuses to serve the local API on a non-loopback address without --http-public', async () => {
    hall = await createLocalHall();
    const run = spawn(process.execPath, ['--import', 'tsx', 'gate-app/src/cli.ts', '--data', hall.dir, '--http', '0.0.0.0:0'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    run.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    expect(await new Promise((r) => run.once('exit', r))).toBe(2);
    expect(err).toMatch(/not a loopback address: add --http-public/);
  }, 30_000);
});

import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PtyPair, RelayBoardSimulator, SerialScannerSimulator } from '@ticketgate/hardware/simulators';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, ROOT, until } from './e2e/harness.js';
import { createLocalHall, type LocalHall } from './helpers/local-hall.js';

// The headless gate with real serial I/O: a scanner and a relay board played on
// pseudo-terminals (socat), no server (a locally prepared data folder).
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

  it('admits from the serial scanner and pulses the relay on SUCCESS only', async () => {
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
    gate = spawn(process.execPath, ['--import', 'tsx', 'gate-app/src/cli.ts', '--data', hall.dir, '--http', `127.0.0.1:${port}`,
      '--serial', scannerPty.a, '--hardware', config], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const verdicts: { result: string; seat_id: string | null }[] = [];
    let err = '';
    gate.stdout!.on('data', (d: Buffer) => {
      for (const l of d.toString().split('\n')) if (l.startsWith('{')) verdicts.push(JSON.parse(l) as { result: string; seat_id: string | null });
    });
    gate.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    await until('the gate', async () => (await fetch(`http://127.0.0.1:${port}/status`)).ok, 30_000, 100);
    await until('the scanner port', () => err.includes('scanners: connected'), 10_000).catch((e: Error) => {
      throw new Error(`${e.message}\n${err}`);
    });

    const scanner = new SerialScannerSimulator(scannerPty.b);
    await scanner.open();
    closers.push(() => scanner.close());
    const ons = () => relay.frames().filter((f) => f.on).length;

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

    gate.kill('SIGTERM');
    expect(await new Promise((r) => gate!.once('exit', r))).toBe(0);
  }, 60_000);
});

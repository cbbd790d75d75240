import { afterEach, describe, expect, it } from 'vitest';
import { SerialScanner } from '../src/serial/serial-scanner.js';
import { PtyPair } from '../src/simulators/pty.js';
import { SerialScannerSimulator } from '../src/simulators/serial-scanner.js';
import { collectProblems, collectScans, sleep, ticketText, waitFor, waitForStatus } from './helpers.js';

// Acceptance tests through real pseudo-terminals made by socat: the bytes go through
// the kernel tty layer and serialport's native binding exactly as from a USB scanner.

let pair: PtyPair | undefined;
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => {});
  await pair?.stop();
  pair = undefined;
});

async function setup(baudRate: number, opts: Partial<ConstructorParameters<typeof SerialScanner>[0]> = {}) {
  pair = await PtyPair.create();
  const scanner = new SerialScanner({ path: pair.a, baudRate, reconnect: { initialMs: 20, maxMs: 100 }, ...opts });
  const sim = new SerialScannerSimulator(pair.b, baudRate);
  cleanups.push(
    () => scanner.stop(),
    () => sim.close(),
  );
  const scans = collectScans(scanner);
  const problems = collectProblems(scanner);
  await scanner.start();
  await waitForStatus(scanner, 'connected');
  await sim.open();
  return { scanner, sim, scans, problems, pair };
}

describe.each([9600, 115200])('serial scanner over a pty at %i baud', (baud) => {
  it('delivers a 260-character scan sent one byte at a time, whole', async () => {
    const { scanner, sim, scans, problems } = await setup(baud);
    const a = ticketText(baud);
    const b = ticketText(baud + 1);
    await sim.send(a, { chunking: 'byte', gapMs: 1 });
    await sim.send(b, { chunking: 'byte', gapMs: 1 });
    await waitFor(() => scans.length === 2, 10_000, 'two scans');
    expect(scans.map((s) => s.text)).toEqual([a, b]);
    expect(scans[0]?.sourceId).toBe(scanner.id);
    // The scan really did arrive in pieces; otherwise this test proves nothing.
    expect(scanner.stats().chunks).toBeGreaterThan(20);
    expect(problems).toEqual([]);
  });

  it('splits many scans arriving in a single chunk', async () => {
    const { scanner, sim, scans } = await setup(baud);
    const texts = Array.from({ length: 12 }, (_, i) => ticketText(baud * 10 + i));
    await sim.sendMany(texts);
    await waitFor(() => scans.length === 12, 5_000, 'twelve scans');
    expect(scans.map((s) => s.text)).toEqual(texts);
    expect(scanner.stats().chunks).toBeLessThan(12);
  });
});

describe('serial scanner over a pty: terminators and framing', () => {
  it('handles CRLF split between chunks and a ragged chunking pattern', async () => {
    const { sim, scans } = await setup(9600, { terminator: 'CRLF' });
    const texts = [ticketText(1), ticketText(2), ticketText(3)];
    const bytes = Buffer.from(texts.map((t) => `${t}\r\n`).join(''));
    await sim.sendRaw(bytes, { chunking: { size: 7 }, gapMs: 1 });
    await waitFor(() => scans.length === 3, 5_000, 'three scans');
    expect(scans.map((s) => s.text)).toEqual(texts);
  });

  it('ends scans on an inter-character timeout when the scanner sends no suffix', async () => {
    const { sim, scans } = await setup(9600, { terminator: 'none', interCharTimeoutMs: 200 });
    const a = ticketText(7);
    await sim.send(a, { suffix: '', chunking: { size: 16 }, gapMs: 2 });
    await waitFor(() => scans.length === 1, 5_000, 'one scan');
    await sim.send('SECONDSCAN234', { suffix: '' });
    await waitFor(() => scans.length === 2, 5_000, 'second scan');
    expect(scans.map((s) => s.text)).toEqual([a, 'SECONDSCAN234']);
  });

  it('strips AIM symbology prefixes when asked and reports the symbology', async () => {
    const { sim, scans } = await setup(9600, { stripAim: true });
    await sim.send('JBSWY3DPEHPK3PXP', { aim: ']Q1' });
    await waitFor(() => scans.length === 1);
    expect(scans[0]).toMatchObject({ text: 'JBSWY3DPEHPK3PXP', symbology: 'qr', aim: ']Q1' });
  });

  it('drops an unterminated fragment instead of gluing it to the next scan', async () => {
    const { sim, scans, problems } = await setup(9600, { partialTimeoutMs: 100 });
    await sim.sendRaw(Buffer.from('GARBAGE'));
    await waitFor(() => problems.length === 1, 2_000, 'problem report');
    await sim.send('GOODSCAN');
    await waitFor(() => scans.length === 1);
    expect(scans[0]?.text).toBe('GOODSCAN');
    expect(problems[0]).toMatch(/7 characters/);
  });
});

describe('serial scanner reconnects', () => {
  it('carries on after the far end closes and comes back', async () => {
    const { scanner, sim, scans, pair } = await setup(9600);
    const statuses: string[] = [];
    scanner.on('status', (s) => statuses.push(s));
    await sim.send('BEFOREUNPLUG');
    await waitFor(() => scans.length === 1);

    await sim.close();
    await pair.stop();
    await waitForStatus(scanner, 'disconnected');
    // Stay unplugged for a few retry periods: the reopen loop must survive ENOENT.
    await sleep(250);
    expect(scanner.status()).toBe('disconnected');

    await pair.start();
    await waitForStatus(scanner, 'connected');
    const sim2 = new SerialScannerSimulator(pair.b, 9600);
    cleanups.push(() => sim2.close());
    await sim2.open();
    const t = ticketText(99);
    await sim2.send(t, { chunking: 'byte', gapMs: 1 });
    await waitFor(() => scans.length === 2, 10_000, 'scan after reconnect');
    expect(scans.map((s) => s.text)).toEqual(['BEFOREUNPLUG', t]);
    // Detail may change while unplugged ('connection lost', then 'not present'); the
    // status itself goes down once and up once.
    expect(statuses.filter((s, i) => s !== statuses[i - 1])).toEqual(['disconnected', 'connected']);
    expect(scanner.stats().reconnects).toBe(1);
  });

  it('starts with the device absent and connects when it appears', async () => {
    pair = await PtyPair.create();
    await pair.stop();
    const scanner = new SerialScanner({ path: pair.a, reconnect: { initialMs: 20, maxMs: 80 } });
    cleanups.push(() => scanner.stop());
    const scans = collectScans(scanner);
    await scanner.start();
    expect(scanner.status()).toBe('disconnected');
    expect(scanner.statusDetail()).toMatch(/not present/);
    await pair.start();
    await waitForStatus(scanner, 'connected');
    const sim = new SerialScannerSimulator(pair.b);
    cleanups.push(() => sim.close());
    await sim.open();
    await sim.send('LATEDEVICE');
    await waitFor(() => scans.length === 1);
    expect(scans[0]?.text).toBe('LATEDEVICE');
  });

  it('stop() ends reconnect attempts', async () => {
    const { scanner, pair } = await setup(9600);
    await pair.stop();
    await waitForStatus(scanner, 'disconnected');
    await scanner.stop();
    await pair.start();
    await sleep(200);
    expect(scanner.status()).toBe('disconnected');
    expect(scanner.statusDetail()).toBe('stopped');
  });
});

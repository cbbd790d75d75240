import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { main, type CliIo } from '../src/cli.js';
import { FakeHidBackend } from '../src/simulators/fake-hid.js';
import { PtyPair } from '../src/simulators/pty.js';
import { RelayBoardSimulator } from '../src/simulators/relay-board.js';
import { SerialScannerSimulator } from '../src/simulators/serial-scanner.js';
import { waitFor } from './helpers.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

function captureIo() {
  const out: string[] = [];
  const err: string[] = [];
  let stop: () => void = () => {};
  const stopped = new Promise<void>((r) => (stop = r));
  const io: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l), interrupted: () => stopped };
  return { io, out, err, stop };
}

let pair: PtyPair | undefined;
afterEach(async () => {
  await pair?.stop();
  pair = undefined;
});

describe('hardware CLI', () => {
  it('list --json shows serial ports and classifies HID devices', async () => {
    const { io, out } = captureIo();
    const hid = new FakeHidBackend([
      { path: '/dev/hidraw0', vendorId: 0x0c2e, productId: 0x0b8f, usagePage: 0x8c, usage: 2 },
      { path: '/dev/hidraw1', vendorId: 0x05e0, productId: 0x1200, usagePage: 1, usage: 6 },
    ]);
    const code = await main(['list', '--json'], io, {
      hidBackend: hid,
      listSerial: async () => ({ ports: [{ path: '/dev/ttyACM0', vendorId: '0c2e', productId: '0b8f' }], warnings: [] }),
    });
    expect(code).toBe(0);
    const parsed = JSON.parse(out[0] as string) as { serial: unknown[]; hid: { kind: string }[] };
    expect(parsed.serial).toEqual([{ path: '/dev/ttyACM0', vendorId: '0c2e', productId: '0b8f' }]);
    expect(parsed.hid.map((d) => d.kind)).toEqual(['hid-pos', 'keyboard']);
  });

  it('list (text) keeps going when HID cannot be listed, and says why', async () => {
    const { io, out, err } = captureIo();
    const code = await main(['list'], io, {
      hidBackend: {
        devices: () => Promise.reject(new Error('node-hid could not load: libudev1 missing')),
        open: () => Promise.reject(new Error('x')),
      },
      listSerial: async () => ({ ports: [], warnings: ['udevadm missing'] }),
    });
    expect(code).toBe(0);
    expect(out).toContain('Serial ports:');
    expect(err.join('\n')).toMatch(/libudev1/);
    expect(err.join('\n')).toMatch(/udevadm missing/);
  });

  it('usage errors exit with 2', async () => {
    expect(await main([], captureIo().io)).toBe(2);
    expect(await main(['frobnicate'], captureIo().io)).toBe(2);
    expect(await main(['listen'], captureIo().io)).toBe(2);
    expect(await main(['pulse'], captureIo().io)).toBe(2);
  });

  it('listen prints scans from a serial scanner live', async () => {
    pair = await PtyPair.create();
    const { io, out, err, stop } = captureIo();
    const running = main(['listen', '--serial', pair.a, '--baud', '115200', '--json'], io);
    await waitFor(() => err.some((l) => l.includes('listening')));
    expect(err.join('\n')).toMatch(/connected/);
    const sim = new SerialScannerSimulator(pair.b, 115200);
    await sim.open();
    await sim.send('CLISCAN234567');
    await waitFor(() => out.length === 1);
    stop();
    expect(await running).toBe(0);
    await sim.close();
    expect(JSON.parse(out[0] as string)).toMatchObject({ text: 'CLISCAN234567', sourceId: `serial:${pair.a}` });
  });

  it('`npm run hardware -- pulse --relay PATH` fires the relay once (real process)', async () => {
    pair = await PtyPair.create({ names: ['gate', 'relay'] });
    const board = new RelayBoardSimulator(pair.b);
    await board.open();
    const child = spawn(process.execPath, ['--import', 'tsx', 'hardware/src/cli.ts', 'pulse', '--relay', pair.a, '--ms', '200'], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    await waitFor(() => board.received().length === 12);
    await board.close();
    expect(code).toBe(0);
    expect(stdout).toMatch(/pulse 1\/1 done in \d+ ms/);
    // Safe-state release at open, then exactly one pulse.
    expect(board.received().toString('hex')).toBe('a00100a1' + 'a00101a2' + 'a00100a1');
  });
});

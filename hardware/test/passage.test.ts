import { afterEach, describe, expect, it } from 'vitest';
import { parseHardwareConfig } from '../src/config.js';
import { openPassageSensor, openScanners, scannerDirections } from '../src/factory.js';
import { GpioPassageSensor, type LineSpawner } from '../src/passage/gpio-passage.js';
import { HidPassageSensor } from '../src/passage/hid-passage.js';
import type { PassageSensor } from '../src/passage/sensor.js';
import { SerialPassageSensor } from '../src/passage/serial-passage.js';
import { FakeHidBackend } from '../src/simulators/fake-hid.js';
import { SimulatedPassageSensor } from '../src/simulators/passage.js';
import { PtyPair } from '../src/simulators/pty.js';
import { SerialScannerSimulator } from '../src/simulators/serial-scanner.js';
import { waitFor } from './helpers.js';

const countPassages = (s: PassageSensor) => {
  const seen = { n: 0 };
  s.on('passage', () => seen.n++);
  return seen;
};

describe('passage sensors', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c().catch(() => {});
  });

  it('serial: each PASS line from the turnstile controller is one passage, through a real pseudo-terminal', async () => {
    const pair = await PtyPair.create();
    cleanups.push(() => pair.stop());
    const sensor = new SerialPassageSensor({ path: pair.a, token: 'pass' });
    cleanups.push(() => sensor.close());
    const seen = countPassages(sensor);
    await sensor.start();
    const controller = new SerialScannerSimulator(pair.b, 9600);
    cleanups.push(() => controller.close());
    await controller.open();
    await controller.sendRaw(Buffer.from('PA'));
    await controller.sendRaw(Buffer.from('SS\r\nDOOR OPEN\r\nPASS\n'));
    await waitFor(() => seen.n === 2, 5_000, 'two passages');
    expect(seen.n).toBe(2);
  });

  it('gpio: gpiomon watches the active edge; every event line is a passage, its exit a problem', async () => {
    let started: { cmd: string; args: string[]; onLine(l: string): void; onExit(m: string): void } | undefined;
    const spawner: LineSpawner = (cmd, args, onLine, onExit) => {
      started = { cmd, args, onLine, onExit };
      return { kill: () => undefined };
    };
    const v2 = new GpioPassageSensor({ line: 17, activeLow: true, spawner });
    expect(new GpioPassageSensor({ line: 17, gpiod: 1, spawner }).commandLine()).toEqual(['--rising-edge', 'gpiochip0', '17']);
    const seen = countPassages(v2);
    const problems: string[] = [];
    v2.on('problem', (m) => problems.push(m));
    await v2.start();
    expect(started).toMatchObject({ cmd: 'gpiomon', args: ['-e', 'falling', '-c', 'gpiochip0', '17'] });
    started!.onLine('event: FALLING EDGE offset: 17 timestamp: [1700000000.000000000]');
    started!.onLine('');
    started!.onExit('exited with 1: cannot open chip');
    expect(seen.n).toBe(1);
    expect(problems).toEqual(['passage-gpio:gpiochip0:17: gpiomon exited with 1: cannot open chip']);
  });

  it('hid: the masked bit going from clear to set is one passage, a repeated set report is not', async () => {
    const backend = new FakeHidBackend([{ path: '/dev/hidraw7', vendorId: 0x1234, productId: 1 }]);
    const sensor = new HidPassageSensor({ path: '/dev/hidraw7', backend, byte: 1, mask: 0x04 });
    cleanups.push(() => sensor.close());
    const seen = countPassages(sensor);
    await sensor.start();
    for (const b of [0x00, 0x04, 0x04, 0x00, 0x05, 0x01]) backend.send('/dev/hidraw7', Uint8Array.from([0xaa, b]));
    expect(seen.n).toBe(2);
  });

  it('config: an optional passage sensor with its timeout, and a direction per scanner', () => {
    const config = parseHardwareConfig({
      scanners: [
        { type: 'wedge', id: 'front' },
        { type: 'camera', id: 'back', direction: 'exit' },
      ],
      passage: { type: 'simulated', timeoutMs: 1500 },
    });
    expect(config.passage).toEqual({ type: 'simulated', timeoutMs: 1500 });
    expect(openPassageSensor(config.passage)).toBeInstanceOf(SimulatedPassageSensor);
    expect(openPassageSensor(parseHardwareConfig({}).passage)).toBeNull();
    expect([...scannerDirections(config, openScanners(config))]).toEqual([['back', 'exit']]);
    expect(parseHardwareConfig({ passage: { type: 'serial', path: '/dev/ttyUSB1' } }).passage).toMatchObject({
      token: 'PASS',
      timeoutMs: 5000,
    });
    expect(() => parseHardwareConfig({ passage: { type: 'gpio', line: 4, timeoutMs: 1 } })).toThrow(/timeoutMs/);
    expect(() => parseHardwareConfig({ scanners: [{ type: 'wedge', direction: 'sideways' }] })).toThrow(/direction/);
  });
});

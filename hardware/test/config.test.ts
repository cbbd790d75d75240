import { describe, expect, it } from 'vitest';
import { HardwareConfigSchema, parseHardwareConfig } from '../src/config.js';
import { openOutput, openScanners, startScanners } from '../src/factory.js';
import { HidKeyboardScanner, HidPosScanner } from '../src/hid/hid-scanner.js';
import { mergeScanners } from '../src/merge.js';
import { GpioOutput } from '../src/outputs/gpio.js';
import { SerialBytesOutput, SerialRelayOutput } from '../src/outputs/serial-output.js';
import { PushScanner } from '../src/push-scanner.js';
import { SerialScanner } from '../src/serial/serial-scanner.js';
import { FakeHidBackend } from '../src/simulators/fake-hid.js';
import { buildAim64Reports } from '../src/simulators/hid-fixtures.js';
import { collectScans } from './helpers.js';

describe('HardwareConfigSchema', () => {
  it('fills defaults: 9600 8N1, CR, 200 ms pulses, dedupe window', () => {
    const c = parseHardwareConfig({
      scanners: [
        { type: 'serial', path: '/dev/ttyACM0' },
        { type: 'hid-pos', vendorId: '0c2e', productId: '0x0B8F' },
      ],
      output: { type: 'relay-serial', path: '/dev/ttyUSB0' },
    });
    expect(c.scanners[0]).toMatchObject({ baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1, terminator: 'CR', stripAim: false });
    expect(c.scanners[1]).toMatchObject({ vendorId: 0x0c2e, productId: 0x0b8f, usagePage: 0x8c, layout: 'aim64' });
    expect(c.output).toMatchObject({ type: 'relay-serial', channel: 1, pulseMs: 200, releaseOnOpen: true });
    expect(c).toMatchObject({ hidDriver: 'hidraw', reconnect: { initialMs: 250, maxMs: 5000 }, dedupeWindowMs: 1500 });
  });

  it('an empty config is valid: no scanners, no output', () => {
    expect(parseHardwareConfig({})).toMatchObject({ scanners: [], output: null });
  });

  it('rejects mistakes with readable messages', () => {
    expect(() => parseHardwareConfig({ scanners: [{ type: 'serial' }] })).toThrow(/scanners\[0\]\.path/);
    expect(() => parseHardwareConfig({ scanners: [{ type: 'hid-pos' }] })).toThrow(/vendorId/);
    expect(() => parseHardwareConfig({ scanners: [{ type: 'hid-keyboard', vendorId: 1, layout: 'jp' }] })).toThrow(/layout/);
    expect(() => parseHardwareConfig({ scanners: [{ type: 'hid-pos', vendorId: 'zz' }] })).toThrow(/hex/);
    expect(() => parseHardwareConfig({ output: { type: 'relay-serial', path: '/dev/x', pulseMs: 60_000 } })).toThrow(/pulseMs/);
    expect(() => parseHardwareConfig({ output: { type: 'serial-bytes', path: '/dev/x', onBytes: 'A0 0', offBytes: '00' } })).toThrow(/hex/);
    expect(HardwareConfigSchema.safeParse({ output: { type: 'laser' } }).success).toBe(false);
  });

  it('parses hex byte strings for generic serial outputs', () => {
    const c = parseHardwareConfig({ output: { type: 'serial-bytes', path: '/dev/x', onBytes: 'A0 01 01 A2', offBytes: '0xa00100a1' } });
    expect(c.output?.type === 'serial-bytes' && Buffer.from(c.output.onBytes).toString('hex')).toBe('a00101a2');
    expect(c.output?.type === 'serial-bytes' && Buffer.from(c.output.offBytes).toString('hex')).toBe('a00100a1');
  });
});

describe('openScanners / openOutput', () => {
  const config = parseHardwareConfig({
    scanners: [
      { type: 'serial', id: 'front', path: '/dev/ttyACM0', terminator: 'timeout' },
      { type: 'hid-pos', id: 'pos', vendorId: 0x0c2e },
      { type: 'hid-keyboard', id: 'kbd', vendorId: 0x05e0, layout: 'fr' },
      { type: 'wedge' },
      { type: 'camera', id: 'cam' },
    ],
  });

  it('builds one scanner per entry, without starting any', () => {
    const scanners = openScanners(config, { hidBackend: new FakeHidBackend() });
    expect(scanners.map((s) => [s.id, s.constructor.name, s.status()])).toEqual([
      ['front', SerialScanner.name, 'disconnected'],
      ['pos', HidPosScanner.name, 'disconnected'],
      ['kbd', HidKeyboardScanner.name, 'disconnected'],
      ['wedge', PushScanner.name, 'disconnected'],
      ['cam', PushScanner.name, 'disconnected'],
    ]);
  });

  it('builds outputs of every type, and none for null or "none"', () => {
    expect(openOutput(null)).toBeNull();
    expect(openOutput(parseHardwareConfig({ output: { type: 'none' } }).output)).toBeNull();
    const gpio = openOutput(parseHardwareConfig({ output: { type: 'gpio', line: 17 } }).output);
    expect(gpio).toBeInstanceOf(GpioOutput);
    const relayConfig = parseHardwareConfig({ output: { type: 'relay-serial', path: '/nonexistent/tty', channel: 3 } }).output;
    const relay = openOutput(relayConfig);
    expect(relay).toBeInstanceOf(SerialRelayOutput);
    expect(relay?.id).toBe('relay:/nonexistent/tty#3');
    const bytes = openOutput(
      parseHardwareConfig({ output: { type: 'serial-bytes', path: '/nonexistent/tty', onBytes: '01', offBytes: '00' } }).output,
    );
    expect(bytes).toBeInstanceOf(SerialBytesOutput);
    return Promise.all([relay?.close(), bytes?.close(), gpio?.close().catch(() => {})]);
  });

  it('startScanners merges and starts everything; scans from several sources reach one stream', async () => {
    const hid = new FakeHidBackend([{ path: '/dev/hidraw0', vendorId: 0x0c2e, productId: 1, usagePage: 0x8c }]);
    const merged = await startScanners(
      parseHardwareConfig({
        scanners: [
          { type: 'hid-pos', id: 'pos', vendorId: 0x0c2e },
          { type: 'wedge', id: 'wedge' },
        ],
        dedupeWindowMs: 0,
      }),
      { hidBackend: hid },
    );
    const scans = collectScans(merged);
    expect(merged.status()).toBe('connected');
    for (const r of buildAim64Reports('FROMHID', { aim: ']Q1' })) hid.send('/dev/hidraw0', r);
    (merged.scanners[1] as PushScanner).push('FROMWEDGE');
    expect(scans.map((s) => [s.sourceId, s.text])).toEqual([
      ['pos', 'FROMHID'],
      ['wedge', 'FROMWEDGE'],
    ]);
    await merged.stop();
    expect(merged.status()).toBe('disconnected');
    expect((merged.scanners[1] as PushScanner).push('AFTERSTOP')).toBe(false);
  });
});

describe('mergeScanners', () => {
  it('suppresses the same code read again within the window, from any source', async () => {
    let now = 1_000;
    const a = new PushScanner('a', () => now);
    const b = new PushScanner('b', () => now);
    const merged = mergeScanners([a, b], { dedupeWindowMs: 1500, now: () => now });
    const scans = collectScans(merged);
    await merged.start();
    a.push('TICKET1');
    now += 200;
    a.push('TICKET1'); // presentation scanner re-read
    b.push('TICKET1'); // second scanner at the same turnstile
    b.push('TICKET2');
    now += 2000;
    a.push('TICKET1'); // a real second presentation, later
    expect(scans.map((s) => `${s.sourceId}:${s.text}`)).toEqual(['a:TICKET1', 'b:TICKET2', 'a:TICKET1']);
    expect(merged.suppressed).toBe(2);
  });

  it('aggregates status: connected while any scanner is, and reports which one changed', async () => {
    const a = new PushScanner('a');
    const b = new PushScanner('b');
    const merged = mergeScanners([a, b]);
    const events: string[] = [];
    merged.on('status', (st, detail) => events.push(`${st} ${detail}`));
    await merged.start();
    a.report('disconnected', 'unplugged');
    expect(merged.status()).toBe('connected');
    b.report('error', 'camera permission denied');
    expect(merged.status()).toBe('disconnected');
    a.report('error', 'x');
    expect(merged.status()).toBe('error');
    expect(events.at(-1)).toBe('error a: error (x)');
    expect(merged.statuses()).toEqual({ a: { status: 'error', detail: 'x' }, b: { status: 'error', detail: 'camera permission denied' } });
  });

  it('refuses two scanners with the same id', () => {
    expect(() => mergeScanners([new PushScanner('x'), new PushScanner('x')])).toThrow(/share the id/);
  });
});

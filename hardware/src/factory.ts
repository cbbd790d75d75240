import type { HardwareConfig, OutputConfig, PassageConfig, ScannerConfig } from './config.js';
import { GpioPassageSensor, type LineSpawner } from './passage/gpio-passage.js';
import { HidPassageSensor } from './passage/hid-passage.js';
import type { PassageSensor } from './passage/sensor.js';
import { SerialPassageSensor } from './passage/serial-passage.js';
import { SimulatedPassageSensor } from './simulators/passage.js';
import { createNodeHidBackend, type HidBackend } from './hid/backend.js';
import { HidKeyboardScanner, HidPosScanner } from './hid/hid-scanner.js';
import { mergeScanners, type MergedScanner } from './merge.js';
import { GpioOutput, type CommandRunner } from './outputs/gpio.js';
import type { TurnstileOutput } from './outputs/output.js';
import { SerialBytesOutput, SerialRelayOutput } from './outputs/serial-output.js';
import { PushScanner } from './push-scanner.js';
import type { Scanner } from './scanner.js';
import type { SerialPortFactory } from './serial/port.js';
import { SerialScanner } from './serial/serial-scanner.js';

/** Device access points, replaceable in tests and demos. */
export interface HardwareDeps {
  serialPortFactory?: SerialPortFactory;
  hidBackend?: HidBackend;
  commandRunner?: CommandRunner;
  lineSpawner?: LineSpawner;
  now?: () => number;
}

/**
 * Builds (does not start) one Scanner per configured scanner. Call start() on each,
 * or on mergeScanners(...) — see startScanners().
 */
export function openScanners(config: HardwareConfig, deps: HardwareDeps = {}): Scanner[] {
  let hid: HidBackend | undefined = deps.hidBackend;
  const hidBackend = () => (hid ??= createNodeHidBackend(config.hidDriver));
  const reconnect = config.reconnect;
  return config.scanners.map((sc: ScannerConfig): Scanner => {
    const now = deps.now ? { now: deps.now } : {};
    switch (sc.type) {
      case 'serial':
        return new SerialScanner({
          ...sc,
          terminator: sc.terminator === 'timeout' ? 'none' : sc.terminator,
          reconnect,
          ...now,
          ...(deps.serialPortFactory ? { portFactory: deps.serialPortFactory } : {}),
        });
      case 'hid-pos':
        return new HidPosScanner({
          ...(sc.id ? { id: sc.id } : {}),
          selector: {
            path: sc.path,
            vendorId: sc.vendorId,
            productId: sc.productId,
            serialNumber: sc.serialNumber,
            interface: sc.interface,
            usagePage: sc.usagePage,
          },
          layout: sc.layout,
          encoding: sc.encoding,
          stripAim: sc.stripAim,
          backend: hidBackend(),
          reconnect,
          ...now,
        });
      case 'hid-keyboard':
        return new HidKeyboardScanner({
          ...(sc.id ? { id: sc.id } : {}),
          selector: {
            path: sc.path,
            vendorId: sc.vendorId,
            productId: sc.productId,
            serialNumber: sc.serialNumber,
            interface: sc.interface,
          },
          layout: sc.layout,
          terminator: sc.terminator,
          interCharTimeoutMs: sc.interCharTimeoutMs,
          stripAim: sc.stripAim,
          backend: hidBackend(),
          reconnect,
          ...now,
        });
      case 'wedge':
      case 'camera':
        return new PushScanner(sc.id ?? sc.type, deps.now);
    }
  });
}

/** The output the gate pulses on SUCCESS, or null when the gate has none. */
export function openOutput(config: OutputConfig | null | undefined, deps: HardwareDeps = {}): TurnstileOutput | null {
  if (!config) return null;
  switch (config.type) {
    case 'none':
      return null;
    case 'relay-serial':
      return new SerialRelayOutput({
        ...(config.id ? { id: config.id } : {}),
        path: config.path,
        channel: config.channel,
        baudRate: config.baudRate,
        defaultPulseMs: config.pulseMs,
        releaseOnOpen: config.releaseOnOpen,
        ...(deps.serialPortFactory ? { portFactory: deps.serialPortFactory } : {}),
      });
    case 'serial-bytes':
      return new SerialBytesOutput({
        ...(config.id ? { id: config.id } : {}),
        path: config.path,
        baudRate: config.baudRate,
        onBytes: config.onBytes,
        offBytes: config.offBytes,
        defaultPulseMs: config.pulseMs,
        releaseOnOpen: config.releaseOnOpen,
        ...(deps.serialPortFactory ? { portFactory: deps.serialPortFactory } : {}),
      });
    case 'gpio':
      return new GpioOutput({
        ...(config.id ? { id: config.id } : {}),
        chip: config.chip,
        line: config.line,
        activeLow: config.activeLow,
        gpiod: config.gpiod,
        defaultPulseMs: config.pulseMs,
        ...(deps.commandRunner ? { runner: deps.commandRunner } : {}),
      });
  }
}

/** Everything the gate needs in one call: all scanners merged and started. */
export async function startScanners(config: HardwareConfig, deps: HardwareDeps = {}): Promise<MergedScanner> {
  const merged = mergeScanners(openScanners(config, deps), {
    dedupeWindowMs: config.dedupeWindowMs,
    ...(deps.now ? { now: deps.now } : {}),
  });
  await merged.start();
  return merged;
}

/** The passage sensor of the turnstile, or null when the gate has none (admissions then need no confirmation). */
export function openPassageSensor(config: PassageConfig | null | undefined, deps: HardwareDeps = {}): PassageSensor | null {
  if (!config) return null;
  const id = config.id ? { id: config.id } : {};
  switch (config.type) {
    case 'serial':
      return new SerialPassageSensor({
        ...id,
        path: config.path,
        baudRate: config.baudRate,
        token: config.token,
        ...(deps.serialPortFactory ? { portFactory: deps.serialPortFactory } : {}),
      });
    case 'gpio':
      return new GpioPassageSensor({
        ...id,
        chip: config.chip,
        line: config.line,
        activeLow: config.activeLow,
        gpiod: config.gpiod,
        ...(deps.lineSpawner ? { spawner: deps.lineSpawner } : {}),
      });
    case 'hid':
      return new HidPassageSensor({
        ...id,
        path: config.path,
        byte: config.byte,
        mask: config.mask,
        backend: deps.hidBackend ?? createNodeHidBackend(),
      });
    case 'simulated':
      return new SimulatedPassageSensor(config.id);
  }
}

/** The direction each scanner's config gives its scans, by scanner id (only those that set one). */
export function scannerDirections(config: HardwareConfig, scanners: readonly { id: string }[]): Map<string, 'entry' | 'exit'> {
  const out = new Map<string, 'entry' | 'exit'>();
  config.scanners.forEach((sc, i) => {
    const id = scanners[i]?.id;
    if (sc.direction && id) out.set(id, sc.direction);
  });
  return out;
}

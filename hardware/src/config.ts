import { z } from 'zod';
import type { LayoutId } from './hid/layouts.js';
import type { PosLayout } from './hid/pos-decoder.js';

/**
 * One description of a gate's scanners and turnstile output. USB ids are accepted as
 * numbers or as the hex strings printed by lsusb / `npm run hardware -- list`.
 */
const UsbId = z.union(
  [
    z.number().int().min(0).max(0xffff),
    z
      .string()
      .regex(/^(0x)?[0-9a-fA-F]{1,4}$/, 'USB id must be hex like "0c2e" or "0x0c2e"')
      .transform((s) => Number.parseInt(s.replace(/^0x/i, ''), 16)),
  ],
  { error: 'USB id must be a number 0–65535 or hex like "0c2e" / "0x0c2e"' },
);

const Backoff = z.object({
  initialMs: z.number().int().min(10).max(60_000).default(250),
  maxMs: z.number().int().min(10).max(600_000).default(5_000),
});

const Encoding = z.enum(['utf8', 'latin1']).default('utf8');

const SerialScannerConfig = z.object({
  type: z.literal('serial'),
  id: z.string().min(1).optional(),
  path: z.string().min(1),
  baudRate: z.number().int().positive().default(9600),
  dataBits: z.union([z.literal(5), z.literal(6), z.literal(7), z.literal(8)]).default(8),
  parity: z.enum(['none', 'even', 'odd', 'mark', 'space']).default('none'),
  stopBits: z.union([z.literal(1), z.literal(1.5), z.literal(2)]).default(1),
  rtscts: z.boolean().default(false),
  terminator: z.enum(['CR', 'LF', 'CRLF', 'TAB', 'timeout']).default('CR'),
  interCharTimeoutMs: z.number().int().min(5).max(2_000).default(50),
  partialTimeoutMs: z.number().int().min(50).max(60_000).default(1_000),
  stripAim: z.boolean().default(false),
  encoding: Encoding,
});

const HidSelectorFields = {
  id: z.string().min(1).optional(),
  path: z.string().min(1).optional(),
  vendorId: UsbId.optional(),
  productId: UsbId.optional(),
  serialNumber: z.string().optional(),
  interface: z.number().int().min(0).optional(),
};

function hasSelector(s: { path?: string | undefined; vendorId?: number | undefined }): boolean {
  return s.path !== undefined || s.vendorId !== undefined;
}
const SELECTOR_MESSAGE = 'give the device path, or at least its vendorId (see `npm run hardware -- list`)';

const HidPosScannerConfig = z
  .object({
    type: z.literal('hid-pos'),
    ...HidSelectorFields,
    usagePage: z.number().int().min(0).max(0xffff).default(0x8c),
    layout: z.enum(['aim64', 'microscan'] as const satisfies readonly PosLayout[]).default('aim64'),
    encoding: Encoding,
    stripAim: z.boolean().default(false),
  })
  .refine(hasSelector, SELECTOR_MESSAGE);

const HidKeyboardScannerConfig = z
  .object({
    type: z.literal('hid-keyboard'),
    ...HidSelectorFields,
    /** The keyboard layout the scanner is configured to emulate. */
    layout: z.enum(['us', 'uk', 'de', 'fr'] as const satisfies readonly LayoutId[]).default('us'),
    terminator: z.enum(['Enter', 'Tab', 'none']).default('Enter'),
    interCharTimeoutMs: z.number().int().min(5).max(2_000).default(60),
    stripAim: z.boolean().default(false),
  })
  .refine(hasSelector, SELECTOR_MESSAGE);

/** Sources fed from the kiosk renderer (keyboard wedge, camera) through a PushScanner. */
const PushScannerConfig = z.object({
  type: z.enum(['wedge', 'camera']),
  id: z.string().min(1).optional(),
});

const BaseScannerConfig = z.discriminatedUnion('type', [
  SerialScannerConfig,
  HidPosScannerConfig,
  HidKeyboardScannerConfig,
  PushScannerConfig,
]);
/** Each scanner may say which way its scans go (a scanner on the exit side of a door); absent: the gate's direction. */
export const ScannerConfigSchema = z.intersection(BaseScannerConfig, z.object({ direction: z.enum(['entry', 'exit']).optional() }));

const PulseMs = z.number().int().min(20).max(10_000).default(200);

const RelaySerialOutput = z.object({
  type: z.literal('relay-serial'),
  id: z.string().min(1).optional(),
  path: z.string().min(1),
  channel: z.number().int().min(1).max(16).default(1),
  baudRate: z.number().int().positive().default(9600),
  pulseMs: PulseMs,
  releaseOnOpen: z.boolean().default(true),
});

const HexBytes = z
  .string()
  .transform((s) => s.replace(/[\s:,-]/g, '').replace(/^0x/i, ''))
  .refine((s) => s.length > 0 && s.length % 2 === 0 && /^[0-9a-fA-F]+$/.test(s), 'bytes as hex, e.g. "A0 01 01 A2"')
  .transform((s) => Uint8Array.from(Buffer.from(s, 'hex')));

const SerialBytesOutputConfig = z.object({
  type: z.literal('serial-bytes'),
  id: z.string().min(1).optional(),
  path: z.string().min(1),
  baudRate: z.number().int().positive().default(9600),
  onBytes: HexBytes,
  offBytes: HexBytes,
  pulseMs: PulseMs,
  releaseOnOpen: z.boolean().default(true),
});

const GpioOutputConfig = z.object({
  type: z.literal('gpio'),
  id: z.string().min(1).optional(),
  chip: z.string().min(1).default('gpiochip0'),
  line: z.union([z.number().int().min(0), z.string().min(1)]),
  activeLow: z.boolean().default(false),
  gpiod: z.union([z.literal(1), z.literal(2), z.literal('auto')]).default('auto'),
  pulseMs: PulseMs,
});

const NoOutput = z.object({ type: z.literal('none') });

/** How long the gate waits for a passage after unlocking, before it annuls the admission. */
const PassageTimeoutMs = z.number().int().min(10).max(120_000).default(5_000);

const SerialPassageConfig = z.object({
  type: z.literal('serial'),
  id: z.string().min(1).optional(),
  path: z.string().min(1),
  baudRate: z.number().int().positive().default(9600),
  token: z.string().min(1).max(32).default('PASS'),
  timeoutMs: PassageTimeoutMs,
});
const GpioPassageConfig = z.object({
  type: z.literal('gpio'),
  id: z.string().min(1).optional(),
  chip: z.string().min(1).default('gpiochip0'),
  line: z.union([z.number().int().min(0), z.string().min(1)]),
  activeLow: z.boolean().default(false),
  gpiod: z.union([z.literal(1), z.literal(2)]).default(2),
  timeoutMs: PassageTimeoutMs,
});
const HidPassageConfig = z.object({
  type: z.literal('hid'),
  id: z.string().min(1).optional(),
  path: z.string().min(1),
  byte: z.number().int().min(0).max(63).default(0),
  mask: z.number().int().min(1).max(255).default(1),
  timeoutMs: PassageTimeoutMs,
});
const SimulatedPassageConfig = z.object({ type: z.literal('simulated'), id: z.string().min(1).optional(), timeoutMs: PassageTimeoutMs });

/** Optional passage sensing: without it, a SUCCESS stands once the turnstile is pulsed (no confirmation). */
export const PassageConfigSchema = z.discriminatedUnion('type', [
  SerialPassageConfig,
  GpioPassageConfig,
  HidPassageConfig,
  SimulatedPassageConfig,
]);

export const OutputConfigSchema = z.discriminatedUnion('type', [RelaySerialOutput, SerialBytesOutputConfig, GpioOutputConfig, NoOutput]);

export const HardwareConfigSchema = z.object({
  scanners: z.array(ScannerConfigSchema).default([]),
  output: OutputConfigSchema.nullable().default(null),
  passage: PassageConfigSchema.nullable().default(null),
  /** node-hid backend for the whole process; 'libusb' detaches the kernel driver so a
   *  keyboard-mode scanner stops typing into whatever window has focus. */
  hidDriver: z.enum(['hidraw', 'libusb']).default('hidraw'),
  reconnect: Backoff.prefault({}),
  /** Same text from any scanner within this window reaches the gate once. */
  dedupeWindowMs: z.number().int().min(0).max(60_000).default(1_500),
});

export type HardwareConfig = z.output<typeof HardwareConfigSchema>;
export type HardwareConfigInput = z.input<typeof HardwareConfigSchema>;
export type ScannerConfig = z.output<typeof ScannerConfigSchema>;
export type OutputConfig = z.output<typeof OutputConfigSchema>;
export type PassageConfig = z.output<typeof PassageConfigSchema>;

/** Parses a configuration and throws one readable message listing every problem. */
export function parseHardwareConfig(input: unknown): HardwareConfig {
  const r = HardwareConfigSchema.safeParse(input);
  if (!r.success) throw new Error(`invalid hardware configuration:\n${z.prettifyError(r.error)}`);
  return r.data;
}

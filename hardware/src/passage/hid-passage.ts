import type { HidBackend, HidDeviceHandle } from '../hid/backend.js';
import { BasePassageSensor } from './sensor.js';

export interface HidPassageOptions {
  id?: string;
  /** hidraw path of the turnstile's (or I/O board's) HID interface. */
  path: string;
  backend: HidBackend;
  /** Which byte of the input report carries the passage bit, and which bits of it. */
  byte?: number;
  mask?: number;
}

/**
 * An HID input report: a passage is the masked bit going from clear to set
 * (a report repeating the set bit is the same passage).
 */
export class HidPassageSensor extends BasePassageSensor {
  readonly kind = 'hid';
  private device: HidDeviceHandle | null = null;
  private active = false;

  constructor(private readonly opts: HidPassageOptions) {
    super(opts.id ?? `passage-hid:${opts.path}`);
  }

  async start(): Promise<void> {
    const device = await this.opts.backend.open(this.opts.path);
    device.on('data', (report) => this.report(report));
    device.on('error', (err) => this.problem(err instanceof Error ? err.message : String(err)));
    this.device = device;
  }

  report(report: Buffer): void {
    const on = ((report[this.opts.byte ?? 0] ?? 0) & (this.opts.mask ?? 0x01)) !== 0;
    if (on && !this.active) this.passed();
    this.active = on;
  }

  async close(): Promise<void> {
    const device = this.device;
    this.device = null;
    if (device) {
      device.removeAllListeners();
      await device.close();
    }
  }
}

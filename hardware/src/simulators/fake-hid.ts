import { EventEmitter } from 'node:events';
import type { HidBackend, HidDeviceHandle, HidDeviceInfo } from '../hid/backend.js';

class FakeHidDevice extends EventEmitter implements HidDeviceHandle {
  closed = false;
  close(): void {
    this.closed = true;
  }
}

/**
 * An in-memory node-hid stand-in for tests and demos: plug and unplug devices, feed
 * them input reports. Report bytes come from real scanner layouts (hid-fixtures.ts).
 */
export class FakeHidBackend implements HidBackend {
  #present = new Map<string, HidDeviceInfo>();
  #open = new Map<string, FakeHidDevice>();
  opens = 0;

  constructor(devices: HidDeviceInfo[] = []) {
    for (const d of devices) this.plug(d);
  }

  async devices(): Promise<HidDeviceInfo[]> {
    return [...this.#present.values()];
  }

  async open(path: string): Promise<HidDeviceHandle> {
    if (!this.#present.has(path)) throw new Error(`could not open HID device ${path}`);
    const dev = new FakeHidDevice();
    this.#open.set(path, dev);
    this.opens++;
    return dev;
  }

  plug(info: HidDeviceInfo): void {
    if (!info.path) throw new Error('fake HID devices need a path');
    this.#present.set(info.path, info);
  }

  /** The device disappears: reads fail, as hidapi reports a pulled cable. */
  unplug(path: string): void {
    this.#present.delete(path);
    const dev = this.#open.get(path);
    this.#open.delete(path);
    if (dev && !dev.closed) dev.emit('error', new Error('could not read from HID device'));
  }

  isOpen(path: string): boolean {
    const d = this.#open.get(path);
    return !!d && !d.closed;
  }

  /** Delivers one input report; false if nobody has the device open. */
  send(path: string, report: Uint8Array): boolean {
    const dev = this.#open.get(path);
    if (!dev || dev.closed) return false;
    dev.emit('data', Buffer.from(report));
    return true;
  }
}

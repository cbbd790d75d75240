import { errorMessage } from '../scanner.js';

export interface HidDeviceInfo {
  path?: string | undefined;
  vendorId: number;
  productId: number;
  usagePage?: number | undefined;
  usage?: number | undefined;
  interface?: number | undefined;
  manufacturer?: string | undefined;
  product?: string | undefined;
  serialNumber?: string | undefined;
}

/** An open device: node-hid's HIDAsync, or a fake in tests and demos. */
export interface HidDeviceHandle {
  on(event: 'data', listener: (data: Buffer) => void): unknown;
  on(event: 'error', listener: (err: unknown) => void): unknown;
  removeAllListeners(event?: string): unknown;
  close(): Promise<void> | void;
}

export interface HidBackend {
  devices(): Promise<HidDeviceInfo[]>;
  open(path: string): Promise<HidDeviceHandle>;
}

export type HidDriver = 'hidraw' | 'libusb';

export const HID_NATIVE_HELP =
  'node-hid could not load its native module. On Debian/Ubuntu it needs libudev1 (hidraw driver) or ' +
  'libusb-1.0-0 (libusb driver); the gate user also needs read access to /dev/hidraw* (udev rule, see docs/hardware.md).';

let chosenDriver: HidDriver | undefined;

/**
 * node-hid chooses hidraw or libusb once per process, when its binding first loads;
 * a second, different choice would be silently ignored, so we refuse it loudly.
 */
export function createNodeHidBackend(driver: HidDriver = 'hidraw'): HidBackend {
  if (chosenDriver && chosenDriver !== driver) {
    throw new Error(`node-hid already uses the ${chosenDriver} driver in this process; cannot switch to ${driver}`);
  }
  chosenDriver = driver;
  const load = async () => {
    const hid = await import('node-hid');
    hid.setDriverType(driver);
    return hid;
  };
  return {
    async devices() {
      try {
        const hid = await load();
        return await hid.devicesAsync();
      } catch (err) {
        throw new Error(`${HID_NATIVE_HELP} (${errorMessage(err)})`, { cause: err });
      }
    },
    async open(path: string) {
      const hid = await load();
      return (await hid.HIDAsync.open(path)) as unknown as HidDeviceHandle;
    },
  };
}

export interface HidSelector {
  path?: string | undefined;
  vendorId?: number | undefined;
  productId?: number | undefined;
  serialNumber?: string | undefined;
  /** Only devices whose top-level collection is on this usage page (0x8C HID POS, 0x01 keyboards). */
  usagePage?: number | undefined;
  usage?: number | undefined;
  interface?: number | undefined;
}

export function matchDevices(devices: HidDeviceInfo[], sel: HidSelector): HidDeviceInfo[] {
  return devices.filter((d) => {
    if (!d.path) return false;
    if (sel.path !== undefined) return d.path === sel.path;
    if (sel.vendorId !== undefined && d.vendorId !== sel.vendorId) return false;
    if (sel.productId !== undefined && d.productId !== sel.productId) return false;
    if (sel.serialNumber !== undefined && d.serialNumber !== sel.serialNumber) return false;
    if (sel.interface !== undefined && d.interface !== sel.interface) return false;
    // Backends that cannot read report descriptors leave usagePage unset; do not
    // exclude those devices for it.
    if (sel.usagePage !== undefined && d.usagePage !== undefined && d.usagePage !== sel.usagePage) return false;
    if (sel.usage !== undefined && d.usage !== undefined && d.usage !== sel.usage) return false;
    return true;
  });
}

export function hex4(n: number): string {
  return n.toString(16).padStart(4, '0');
}

export function describeSelector(sel: HidSelector): string {
  if (sel.path) return sel.path;
  const parts = [sel.vendorId !== undefined ? hex4(sel.vendorId) : '*', sel.productId !== undefined ? hex4(sel.productId) : '*'].join(':');
  return sel.usagePage !== undefined ? `${parts} (usage page 0x${sel.usagePage.toString(16)})` : parts;
}

/** Collections a HID device exposes that look like scanners. */
export function classifyHidDevice(d: HidDeviceInfo): 'hid-pos' | 'keyboard' | 'other' {
  if (d.usagePage === 0x8c) return 'hid-pos';
  if (d.usagePage === 0x01 && d.usage === 0x06) return 'keyboard';
  return 'other';
}

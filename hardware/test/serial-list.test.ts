import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UDEVADM_MISSING, listFromSysfs, listSerialPorts } from '../src/serial/list.js';

describe('serial port listing', () => {
  const savedPath = process.env.PATH;
  afterEach(() => {
    process.env.PATH = savedPath;
  });

  it('lists this machine’s ports through serialport (udevadm on Linux)', async () => {
    const r = await listSerialPorts();
    expect(Array.isArray(r.ports)).toBe(true);
    for (const p of r.ports) expect(p.path).toMatch(/^\/dev\//);
    for (const w of r.warnings) expect(w).toMatch(/udev/);
  });

  it('without udevadm: says which package is missing and falls back to /sys', async () => {
    process.env.PATH = await mkdtemp(join(tmpdir(), 'empty-path-'));
    const r = await listSerialPorts();
    expect(r.warnings).toEqual([UDEVADM_MISSING]);
    expect(r.warnings[0]).toMatch(/apt-get install udev/);
    expect(Array.isArray(r.ports)).toBe(true);
  });

  it('reads USB vendor/product ids from a sysfs tree', async () => {
    const root = await mkdtemp(join(tmpdir(), 'fake-sys-'));
    const usbDev = join(root, 'devices', 'pci0000:00', 'usb1', '1-2');
    await mkdir(join(usbDev, '1-2:1.0', 'tty', 'ttyACM0'), { recursive: true });
    for (const [f, v] of Object.entries({
      idVendor: '0c2e\n',
      idProduct: '0b8f\n',
      manufacturer: 'Honeywell\n',
      product: 'Xenon 1900\n',
      serial: 'ABC123\n',
    })) {
      await writeFile(join(usbDev, f), v);
    }
    await mkdir(join(root, 'devices', 'platform', 'serial8250', 'tty', 'ttyS0'), { recursive: true });
    await mkdir(join(root, 'class', 'tty', 'ttyACM0'), { recursive: true });
    await mkdir(join(root, 'class', 'tty', 'ttyS0'), { recursive: true });
    await mkdir(join(root, 'class', 'tty', 'ttyS1'), { recursive: true }); // no device behind it
    await mkdir(join(root, 'class', 'tty', 'console'), { recursive: true });
    await symlink(join(usbDev, '1-2:1.0'), join(root, 'class', 'tty', 'ttyACM0', 'device'));
    await symlink(join(root, 'devices', 'platform', 'serial8250'), join(root, 'class', 'tty', 'ttyS0', 'device'));
    expect(await listFromSysfs(root)).toEqual([
      {
        path: '/dev/ttyACM0',
        vendorId: '0c2e',
        productId: '0b8f',
        manufacturer: 'Honeywell',
        product: 'Xenon 1900',
        serialNumber: 'ABC123',
      },
      { path: '/dev/ttyS0' },
    ]);
  });

  it('normalises ids from serialport and reports failures off Linux plainly', async () => {
    const r = await listSerialPorts({
      list: async () => [{ path: '/dev/ttyUSB0', vendorId: '1A86', productId: '7523', manufacturer: 'QinHeng' }],
    });
    expect(r.ports).toEqual([{ path: '/dev/ttyUSB0', vendorId: '1a86', productId: '7523', manufacturer: 'QinHeng' }]);
    await expect(listSerialPorts({ list: () => Promise.reject(new Error('boom')), platform: 'win32' })).rejects.toThrow(
      /Could not list serial ports: boom/,
    );
  });
});

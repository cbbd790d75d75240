import { readFile, readdir, realpath } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { SerialPort } from 'serialport';
import { errorCode, errorMessage } from '../scanner.js';

export interface SerialPortInfo {
  path: string;
  /** Four lower-case hex digits, as printed by lsusb. */
  vendorId?: string;
  productId?: string;
  manufacturer?: string;
  product?: string;
  serialNumber?: string;
}

export interface SerialListing {
  ports: SerialPortInfo[];
  /** Why the listing is incomplete, in words an operator can act on. */
  warnings: string[];
}

interface RawPortInfo {
  path: string;
  manufacturer?: string | undefined;
  serialNumber?: string | undefined;
  vendorId?: string | undefined;
  productId?: string | undefined;
}

export interface ListDeps {
  list?: () => Promise<RawPortInfo[]>;
  platform?: NodeJS.Platform;
  sysfsRoot?: string;
}

export const UDEVADM_MISSING =
  "Listing serial ports with vendor/product ids needs 'udevadm', which is missing (Debian/Ubuntu: apt-get install udev). " +
  'Falling back to /sys: manufacturer names may be missing.';

function normHex(id: string | undefined): string | undefined {
  if (!id) return undefined;
  const v = id.toLowerCase().replace(/^0x/, '');
  return /^[0-9a-f]{1,4}$/.test(v) ? v.padStart(4, '0') : undefined;
}

function clean(info: SerialPortInfo): SerialPortInfo {
  return Object.fromEntries(Object.entries(info).filter(([, v]) => v !== undefined && v !== '')) as unknown as SerialPortInfo;
}

export async function listSerialPorts(deps: ListDeps = {}): Promise<SerialListing> {
  const list = deps.list ?? (() => SerialPort.list());
  const platform = deps.platform ?? process.platform;
  try {
    const raw = await list();
    return {
      ports: raw.map((p) =>
        clean({
          path: p.path,
          vendorId: normHex(p.vendorId),
          productId: normHex(p.productId),
          manufacturer: p.manufacturer,
          serialNumber: p.serialNumber,
        }),
      ),
      warnings: [],
    };
  } catch (err) {
    const missingUdevadm = errorCode(err) === 'ENOENT' || /udevadm/.test(errorMessage(err));
    if (platform !== 'linux') {
      throw new Error(`Could not list serial ports: ${errorMessage(err)}`, { cause: err });
    }
    const warnings = [missingUdevadm ? UDEVADM_MISSING : `udevadm failed (${errorMessage(err)}); falling back to /sys.`];
    try {
      return { ports: await listFromSysfs(deps.sysfsRoot ?? '/sys'), warnings };
    } catch (err2) {
      throw new Error(`${warnings[0]} Reading /sys/class/tty failed too: ${errorMessage(err2)}`, { cause: err2 });
    }
  }
}

const TTY_NAME = /^tty(S|USB|ACM|AMA|WCH|XRUSB|MFD|O)\d+$|^rfcomm\d+$/;

/** udev-free listing: the kernel exposes the USB ids of a tty's parent device in sysfs. */
export async function listFromSysfs(sysfsRootGiven: string): Promise<SerialPortInfo[]> {
  // Device links resolve to real paths; compare like with like.
  const sysfsRoot = await realpath(sysfsRootGiven);
  const classDir = join(sysfsRoot, 'class', 'tty');
  const names = (await readdir(classDir)).filter((n) => TTY_NAME.test(n)).sort();
  const ports: SerialPortInfo[] = [];
  for (const name of names) {
    let dev: string;
    try {
      dev = await realpath(join(classDir, name, 'device'));
    } catch {
      continue; // virtual tty without hardware behind it
    }
    const info: SerialPortInfo = { path: `/dev/${name}` };
    // Walk up from the interface to the USB device node that carries idVendor.
    for (let dir = dev, i = 0; i < 6 && dir.startsWith(sysfsRoot) && dir !== sysfsRoot; i++, dir = dirname(dir)) {
      const vendorId = await readAttr(join(dir, 'idVendor'));
      if (vendorId === undefined) continue;
      info.vendorId = normHex(vendorId);
      info.productId = normHex(await readAttr(join(dir, 'idProduct')));
      info.manufacturer = await readAttr(join(dir, 'manufacturer'));
      info.product = await readAttr(join(dir, 'product'));
      info.serialNumber = await readAttr(join(dir, 'serial'));
      break;
    }
    ports.push(clean(info));
  }
  return ports;
}

async function readAttr(file: string): Promise<string | undefined> {
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    return undefined;
  }
}

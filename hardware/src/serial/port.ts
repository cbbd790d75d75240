import { SerialPort } from 'serialport';

export type Parity = 'none' | 'even' | 'odd' | 'mark' | 'space';

export interface SerialLineSettings {
  path: string;
  baudRate: number;
  dataBits: 5 | 6 | 7 | 8;
  parity: Parity;
  stopBits: 1 | 1.5 | 2;
  rtscts: boolean;
}

export const DEFAULT_LINE: Omit<SerialLineSettings, 'path'> = {
  baudRate: 9600,
  dataBits: 8,
  parity: 'none',
  stopBits: 1,
  rtscts: false,
};

/** The part of serialport's SerialPort that the drivers use; tests may pass fakes. */
export interface SerialPortLike {
  readonly isOpen: boolean;
  open(cb: (err: Error | null) => void): void;
  close(cb?: (err: Error | null) => void): void;
  write(data: Buffer, cb?: (err: Error | null | undefined) => void): boolean;
  drain(cb: (err: Error | null) => void): void;
  on(event: 'data', listener: (chunk: Buffer) => void): this;
  on(event: 'close', listener: (err?: Error | null) => void): this;
  on(event: 'error', listener: (err: Error) => void): this;
  removeAllListeners(event?: string): this;
}

export type SerialPortFactory = (settings: SerialLineSettings) => SerialPortLike;

export const defaultSerialPortFactory: SerialPortFactory = (s) =>
  new SerialPort({
    path: s.path,
    baudRate: s.baudRate,
    dataBits: s.dataBits,
    parity: s.parity,
    stopBits: s.stopBits,
    rtscts: s.rtscts,
    autoOpen: false,
  }) as unknown as SerialPortLike;

export function openPort(port: SerialPortLike): Promise<void> {
  return new Promise((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
}

export function closePort(port: SerialPortLike): Promise<void> {
  return new Promise((resolve) => {
    if (!port.isOpen) return resolve();
    // A close error on an already-vanished device is not actionable.
    port.close(() => resolve());
  });
}

/** Writes and waits until the OS has handed the bytes to the device (tcdrain). */
export function writeAndDrain(port: SerialPortLike, data: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    port.write(data, (err) => {
      if (err) return reject(err);
      port.drain((err2) => (err2 ? reject(err2) : resolve()));
    });
  });
}

/** Human-readable advice for the errors operators actually hit. */
export function describeSerialError(path: string, err: unknown): { status: 'disconnected' | 'error'; detail: string } {
  const msg = err instanceof Error ? err.message : String(err);
  if (/ENOENT|No such file/i.test(msg)) return { status: 'disconnected', detail: `${path} not present (unplugged?)` };
  if (/EACCES|Permission denied/i.test(msg)) {
    return {
      status: 'error',
      detail: `${path}: permission denied — add the gate user to the 'dialout' group (Linux) or fix the udev rule`,
    };
  }
  if (/lock/i.test(msg)) return { status: 'error', detail: `${path} is in use by another program (${msg})` };
  return { status: 'disconnected', detail: `${path}: ${msg}` };
}

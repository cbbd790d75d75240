import {
  closePort,
  defaultSerialPortFactory,
  DEFAULT_LINE,
  openPort,
  type SerialPortFactory,
  type SerialPortLike,
} from '../serial/port.js';
import { BasePassageSensor } from './sensor.js';

export interface SerialPassageOptions {
  id?: string;
  path: string;
  baudRate?: number;
  /** The line the turnstile controller sends per passage (compared trimmed, case-insensitive). */
  token?: string;
  portFactory?: SerialPortFactory;
}

/** A turnstile controller that reports each passage as a text line (e.g. `PASS\r\n`) on a serial port. */
export class SerialPassageSensor extends BasePassageSensor {
  readonly kind = 'serial';
  private port: SerialPortLike | null = null;
  private buffer = '';
  private readonly token: string;

  constructor(private readonly opts: SerialPassageOptions) {
    super(opts.id ?? `passage-serial:${opts.path}`);
    this.token = (opts.token ?? 'PASS').trim().toUpperCase();
  }

  async start(): Promise<void> {
    const factory = this.opts.portFactory ?? defaultSerialPortFactory;
    const port = factory({ ...DEFAULT_LINE, path: this.opts.path, baudRate: this.opts.baudRate ?? DEFAULT_LINE.baudRate });
    port.on('data', (chunk) => this.feed(chunk.toString('latin1')));
    port.on('error', (err) => this.problem(err.message));
    await openPort(port);
    this.port = port;
  }

  /** Complete lines only: a token split across two reads still counts once. */
  feed(text: string): void {
    this.buffer += text;
    const lines = this.buffer.split(/\r\n|\r|\n/);
    this.buffer = lines.pop() ?? '';
    if (this.buffer.length > 256) this.buffer = '';
    for (const line of lines) if (line.trim().toUpperCase() === this.token) this.passed();
  }

  async close(): Promise<void> {
    const port = this.port;
    this.port = null;
    if (port) {
      port.removeAllListeners();
      await closePort(port);
    }
  }
}

import {
  closePort,
  defaultSerialPortFactory,
  DEFAULT_LINE,
  openPort,
  writeAndDrain,
  type SerialPortFactory,
  type SerialPortLike,
} from '../serial/port.js';

export type Chunking = 'whole' | 'byte' | { size: number };

export interface SimSendOptions {
  /** Bytes after each scan; a scanner's configured suffix. Default CR. */
  suffix?: string;
  /** Optional AIM identifier sent before the data, e.g. ']Q1'. */
  aim?: string;
  chunking?: Chunking;
  /** Pause between chunks. With 'byte' this paces the line like a real UART. */
  gapMs?: number;
}

/**
 * Plays a serial barcode scanner on one end of a pty pair (or a real port wired to a
 * gate through a null-modem cable).
 */
export class SerialScannerSimulator {
  #port: SerialPortLike | undefined;

  constructor(
    readonly path: string,
    readonly baudRate = DEFAULT_LINE.baudRate,
    private readonly factory: SerialPortFactory = defaultSerialPortFactory,
  ) {}

  async open(): Promise<void> {
    const port = this.factory({ ...DEFAULT_LINE, path: this.path, baudRate: this.baudRate });
    port.on('error', () => {});
    await openPort(port);
    this.#port = port;
  }

  async close(): Promise<void> {
    const p = this.#port;
    this.#port = undefined;
    if (p) await closePort(p);
  }

  /** Sends one scan. */
  async send(text: string, opts: SimSendOptions = {}): Promise<void> {
    await this.sendRaw(Buffer.from((opts.aim ?? '') + text + (opts.suffix ?? '\r'), 'utf8'), opts);
  }

  /** Sends several scans back to back in a single write: the "merged chunk" case. */
  async sendMany(texts: string[], opts: Omit<SimSendOptions, 'chunking'> = {}): Promise<void> {
    const all = texts.map((t) => (opts.aim ?? '') + t + (opts.suffix ?? '\r')).join('');
    await this.sendRaw(Buffer.from(all, 'utf8'), { chunking: 'whole' });
  }

  async sendRaw(bytes: Buffer, opts: Pick<SimSendOptions, 'chunking' | 'gapMs'> = {}): Promise<void> {
    const port = this.#port;
    if (!port) throw new Error('simulator port is not open');
    const chunking = opts.chunking ?? 'whole';
    const size = chunking === 'whole' ? bytes.length : chunking === 'byte' ? 1 : chunking.size;
    // Ten bit times per byte (8N1) is what the wire would take at this baud rate.
    const gap = opts.gapMs ?? (chunking === 'whole' ? 0 : Math.max(1, Math.ceil((10_000 / this.baudRate) * size)));
    for (let off = 0; off < bytes.length; off += size) {
      await writeAndDrain(port, bytes.subarray(off, off + size));
      if (gap > 0 && off + size < bytes.length) await new Promise((r) => setTimeout(r, gap));
    }
  }
}

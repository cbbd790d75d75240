import {
  closePort,
  defaultSerialPortFactory,
  DEFAULT_LINE,
  openPort,
  type SerialPortFactory,
  type SerialPortLike,
} from '../serial/port.js';

export interface RelayFrame {
  at: number;
  channel: number;
  on: boolean;
}

/**
 * Plays an A0-protocol USB relay board on one end of a pty pair: records every byte
 * it receives and decodes 4-byte command frames, so tests can check that exactly the
 * right commands arrived and nothing else.
 */
export class RelayBoardSimulator {
  #port: SerialPortLike | undefined;
  #bytes: Buffer[] = [];
  #arrivals: { at: number; data: Buffer }[] = [];

  constructor(
    readonly path: string,
    readonly baudRate = DEFAULT_LINE.baudRate,
    private readonly factory: SerialPortFactory = defaultSerialPortFactory,
  ) {}

  async open(): Promise<void> {
    const port = this.factory({ ...DEFAULT_LINE, path: this.path, baudRate: this.baudRate });
    port.on('error', () => {});
    port.on('data', (d: Buffer) => {
      this.#bytes.push(d);
      this.#arrivals.push({ at: Date.now(), data: d });
    });
    await openPort(port);
    this.#port = port;
  }

  async close(): Promise<void> {
    const p = this.#port;
    this.#port = undefined;
    if (p) await closePort(p);
  }

  received(): Buffer {
    return Buffer.concat(this.#bytes);
  }

  /** Decoded frames with the arrival time of their first byte; throws on garbage. */
  frames(): RelayFrame[] {
    const frames: RelayFrame[] = [];
    let pos = 0;
    let pending: number[] = [];
    let pendingAt = 0;
    for (const { at, data } of this.#arrivals) {
      for (const b of data) {
        if (pending.length === 0) pendingAt = at;
        pending.push(b);
        if (pending.length === 4) {
          const [h, ch, st, sum] = pending as [number, number, number, number];
          if (h !== 0xa0 || st > 1 || ((h + ch + st) & 0xff) !== sum) {
            throw new Error(`invalid relay frame at byte ${pos - 3}: ${Buffer.from(pending).toString('hex')}`);
          }
          frames.push({ at: pendingAt, channel: ch, on: st === 1 });
          pending = [];
        }
        pos++;
      }
    }
    if (pending.length) throw new Error(`trailing partial relay frame: ${Buffer.from(pending).toString('hex')}`);
    return frames;
  }

  /** Current state per channel, as the board would hold it. */
  channels(): Map<number, boolean> {
    const m = new Map<number, boolean>();
    for (const f of this.frames()) m.set(f.channel, f.on);
    return m;
  }
}

import { DEFAULT_BACKOFF, RetryTimer, type BackoffOptions } from '../backoff.js';
import { errorMessage } from '../scanner.js';
import {
  DEFAULT_LINE,
  closePort,
  defaultSerialPortFactory,
  describeSerialError,
  openPort,
  writeAndDrain,
  type SerialLineSettings,
  type SerialPortFactory,
  type SerialPortLike,
} from '../serial/port.js';
import { SwitchedOutput, type SwitchedOutputOptions } from './output.js';

export interface SerialBytesOutputOptions extends SwitchedOutputOptions, Partial<Omit<SerialLineSettings, 'path'>> {
  id?: string;
  path: string;
  onBytes: Uint8Array;
  offBytes: Uint8Array;
  /**
   * Send the off command as soon as the port opens. After a crash or power cut
   * mid-pulse the board may still be latched on; this puts the turnstile back in its
   * locked state before the first scan. It is an "off" only — never an "on".
   */
  releaseOnOpen?: boolean;
  reconnect?: BackoffOptions;
  portFactory?: SerialPortFactory;
}

/**
 * Generic "write these bytes to a serial port" switch. Also the base of the
 * USB relay board driver. The port opens in the background at construction so the
 * first pulse is not delayed by USB enumeration.
 */
export class SerialBytesOutput extends SwitchedOutput {
  readonly kind: string = 'serial-bytes';
  readonly settings: SerialLineSettings;
  readonly #opts: SerialBytesOutputOptions;
  readonly #factory: SerialPortFactory;
  readonly #retry: RetryTimer;
  #port: SerialPortLike | undefined;
  #opening: Promise<SerialPortLike> | undefined;
  #firstOpen = true;
  #disposed = false;
  // True from the moment "on" bytes may have reached the board until "off" bytes
  // certainly did. Unlike state(), it is not set by a command that failed before
  // writing anything (e.g. the port was missing).
  #mayBeOn = false;

  constructor(opts: SerialBytesOutputOptions) {
    super(opts.id ?? `serial-output:${opts.path}`, opts, opts.releaseOnOpen === false ? 'off' : 'unknown');
    this.#opts = opts;
    this.settings = { ...DEFAULT_LINE, ...stripUndefined(opts), path: opts.path };
    this.#factory = opts.portFactory ?? defaultSerialPortFactory;
    this.#retry = new RetryTimer(opts.reconnect ?? DEFAULT_BACKOFF);
    this.#ensureOpen().catch((err: unknown) => this.emit('problem', `${this.id}: ${errorMessage(err)}`));
  }

  /** Resolves once the port is open and the initial release (if any) was written. */
  async ready(): Promise<void> {
    await this.#ensureOpen();
  }

  protected switchOn(): Promise<void> {
    return this.#write(this.#opts.onBytes, true);
  }

  protected async switchOff(): Promise<void> {
    await this.#write(this.#opts.offBytes, false);
    this.#mayBeOn = false;
  }

  protected async dispose(): Promise<void> {
    this.#disposed = true;
    this.#retry.cancel();
    const port = this.#port ?? (await this.#opening?.catch(() => undefined));
    this.#port = undefined;
    if (port) {
      port.removeAllListeners();
      port.on('error', () => {});
      await closePort(port);
    }
  }

  async #write(bytes: Uint8Array, on: boolean): Promise<void> {
    const port = await this.#ensureOpen();
    if (on) this.#mayBeOn = true;
    try {
      await writeAndDrain(port, Buffer.from(bytes));
    } catch (err) {
      this.#dropPort(port);
      throw new Error(`${this.settings.path}: write failed: ${errorMessage(err)}`, { cause: err });
    }
  }

  #ensureOpen(): Promise<SerialPortLike> {
    if (this.#disposed) return Promise.reject(new Error('output closed'));
    if (this.#port?.isOpen) return Promise.resolve(this.#port);
    this.#opening ??= this.#open().finally(() => {
      this.#opening = undefined;
    });
    return this.#opening;
  }

  async #open(): Promise<SerialPortLike> {
    const port = this.#factory(this.settings);
    port.on('error', (err: Error) => this.emit('problem', `${this.id}: ${err.message}`));
    // Reading (and discarding whatever the board echoes) is how an unplug is noticed:
    // a port nobody reads from only fails at the next write, which may be a pulse.
    port.on('data', () => {});
    port.on('close', () => {
      if (this.#port === port) this.#onLost(port);
    });
    try {
      await openPort(port);
    } catch (err) {
      port.removeAllListeners();
      port.on('error', () => {});
      throw new Error(describeSerialError(this.settings.path, err).detail, { cause: err });
    }
    if (this.#disposed) {
      await closePort(port);
      throw new Error('output closed');
    }
    // Before any command from the gate: put the turnstile in a known locked state if
    // this is a fresh start (releaseOnOpen) or if we lost the port while possibly on.
    const needsOff = (this.#firstOpen && this.#opts.releaseOnOpen !== false) || this.#mayBeOn;
    this.#firstOpen = false;
    if (needsOff) {
      try {
        await writeAndDrain(port, Buffer.from(this.#opts.offBytes));
      } catch (err) {
        await closePort(port);
        throw new Error(`${this.settings.path}: could not send the release command: ${errorMessage(err)}`, { cause: err });
      }
      this.#mayBeOn = false;
      this.setState('off');
    }
    this.#port = port;
    this.#retry.reset();
    return port;
  }

  #dropPort(port: SerialPortLike): void {
    if (this.#port !== port) return;
    this.#port = undefined;
    port.removeAllListeners();
    port.on('error', () => {});
    void closePort(port);
  }

  #onLost(port: SerialPortLike): void {
    this.#dropPort(port);
    this.emit('problem', `${this.id}: ${this.settings.path} disconnected`);
    // If the board may be on, keep trying to reach it to switch it off.
    if (this.#mayBeOn && !this.#disposed) this.#retryRelease();
  }

  #retryRelease(): void {
    this.#retry.schedule(() => {
      if (this.#disposed || !this.#mayBeOn) return;
      this.#ensureOpen().catch(() => this.#retryRelease());
    });
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * The common "LC Technology"/LCUS USB relay boards (CH340 + microcontroller) take
 * 4-byte commands: A0, channel (1-based), state (01 on / 00 off), checksum = sum & 0xFF.
 */
export function relayCommand(channel: number, on: boolean): Uint8Array {
  if (!Number.isInteger(channel) || channel < 1 || channel > 16) throw new RangeError(`relay channel must be 1–16 (got ${channel})`);
  const state = on ? 1 : 0;
  return Uint8Array.of(0xa0, channel, state, (0xa0 + channel + state) & 0xff);
}

export interface SerialRelayOutputOptions extends Omit<SerialBytesOutputOptions, 'onBytes' | 'offBytes'> {
  channel?: number;
}

export class SerialRelayOutput extends SerialBytesOutput {
  override readonly kind = 'relay-serial';
  readonly channel: number;
  constructor(opts: SerialRelayOutputOptions) {
    const channel = opts.channel ?? 1;
    super({
      ...opts,
      id: opts.id ?? `relay:${opts.path}#${channel}`,
      onBytes: relayCommand(channel, true),
      offBytes: relayCommand(channel, false),
    });
    this.channel = channel;
  }
}

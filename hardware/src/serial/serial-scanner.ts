import { stripAimPrefix } from '../aim.js';
import { DEFAULT_BACKOFF, RetryTimer, type BackoffOptions } from '../backoff.js';
import { BaseScanner, errorMessage } from '../scanner.js';
import { ScanFramer, type Terminator } from './framer.js';
import {
  DEFAULT_LINE,
  closePort,
  defaultSerialPortFactory,
  describeSerialError,
  openPort,
  type SerialLineSettings,
  type SerialPortFactory,
  type SerialPortLike,
} from './port.js';

export interface SerialScannerOptions extends Partial<Omit<SerialLineSettings, 'path'>> {
  id?: string;
  path: string;
  terminator?: Terminator;
  /** Terminator 'none': silence that ends a scan. */
  interCharTimeoutMs?: number;
  /** Other terminators: silence after which an unterminated fragment is dropped. */
  partialTimeoutMs?: number;
  stripAim?: boolean;
  encoding?: 'utf8' | 'latin1';
  maxLength?: number;
  reconnect?: BackoffOptions;
  portFactory?: SerialPortFactory;
  now?: () => number;
}

export interface SerialScannerStats {
  chunks: number;
  bytes: number;
  scans: number;
  discarded: number;
  reconnects: number;
}

/** CDC-ACM and RS-232 scanners: bytes in, whole scans out, reopening after unplug. */
export class SerialScanner extends BaseScanner {
  readonly kind = 'serial' as const;
  readonly settings: SerialLineSettings;
  readonly #opts: SerialScannerOptions;
  readonly #framer: ScanFramer;
  readonly #retry: RetryTimer;
  readonly #factory: SerialPortFactory;
  readonly #now: () => number;
  #port: SerialPortLike | undefined;
  #running = false;
  #everConnected = false;
  #quietTimer: NodeJS.Timeout | undefined;
  readonly #stats: SerialScannerStats = { chunks: 0, bytes: 0, scans: 0, discarded: 0, reconnects: 0 };

  constructor(opts: SerialScannerOptions) {
    super(opts.id ?? `serial:${opts.path}`);
    this.#opts = opts;
    this.settings = {
      path: opts.path,
      baudRate: opts.baudRate ?? DEFAULT_LINE.baudRate,
      dataBits: opts.dataBits ?? DEFAULT_LINE.dataBits,
      parity: opts.parity ?? DEFAULT_LINE.parity,
      stopBits: opts.stopBits ?? DEFAULT_LINE.stopBits,
      rtscts: opts.rtscts ?? DEFAULT_LINE.rtscts,
    };
    this.#framer = new ScanFramer({ terminator: opts.terminator ?? 'CR', maxLength: opts.maxLength ?? 8192 });
    this.#retry = new RetryTimer(opts.reconnect ?? DEFAULT_BACKOFF);
    this.#factory = opts.portFactory ?? defaultSerialPortFactory;
    this.#now = opts.now ?? Date.now;
  }

  stats(): SerialScannerStats {
    return { ...this.#stats };
  }

  async start(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    this.setStatus('connecting', this.settings.path);
    await this.#connect();
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.#retry.cancel();
    this.#clearQuietTimer();
    this.#framer.discard();
    const port = this.#port;
    this.#port = undefined;
    if (port) {
      port.removeAllListeners();
      // Keep a no-op error listener: a late error from the binding must not crash.
      port.on('error', () => {});
      await closePort(port);
    }
    this.setStatus('disconnected', 'stopped');
  }

  async #connect(): Promise<void> {
    if (!this.#running) return;
    let port: SerialPortLike;
    try {
      port = this.#factory(this.settings);
    } catch (err) {
      this.setStatus('error', `${this.settings.path}: ${errorMessage(err)}`);
      return;
    }
    this.#port = port;
    port.on('data', (chunk: Buffer) => {
      if (this.#port === port) this.#onData(chunk);
    });
    port.on('close', () => {
      if (this.#port === port) this.#lost('connection lost');
    });
    port.on('error', (err: Error) => {
      if (this.#port === port) this.problem(`serial error: ${err.message}`);
    });
    try {
      await openPort(port);
    } catch (err) {
      if (this.#port !== port) return;
      this.#port = undefined;
      port.removeAllListeners();
      port.on('error', () => {});
      const { status, detail } = describeSerialError(this.settings.path, err);
      this.setStatus(status, detail);
      this.#scheduleReconnect();
      return;
    }
    if (!this.#running || this.#port !== port) {
      await closePort(port);
      return;
    }
    if (this.#everConnected) this.#stats.reconnects++;
    this.#everConnected = true;
    this.#retry.reset();
    this.setStatus('connected', `${this.settings.path} @ ${this.settings.baudRate}`);
  }

  #lost(reason: string): void {
    const port = this.#port;
    this.#port = undefined;
    if (port) {
      port.removeAllListeners();
      port.on('error', () => {});
    }
    this.#clearQuietTimer();
    // Bytes from before the unplug can never be completed by bytes after it.
    const dropped = this.#framer.discard();
    if (dropped > 0) {
      this.#stats.discarded++;
      this.problem(`dropped ${dropped} characters of an unfinished scan (${reason})`);
    }
    if (!this.#running) return;
    this.setStatus('disconnected', `${this.settings.path}: ${reason}`);
    this.#scheduleReconnect();
  }

  #scheduleReconnect(): void {
    if (!this.#running) return;
    this.#retry.schedule(() => void this.#connect());
  }

  #onData(chunk: Buffer): void {
    this.#stats.chunks++;
    this.#stats.bytes += chunk.length;
    for (const ev of this.#framer.push(chunk.toString('latin1'))) {
      if (ev.type === 'frame') this.#emitFrame(ev.text);
      else {
        this.#stats.discarded++;
        this.problem(`discarded ${ev.length} characters without a terminator — check the scanner's suffix setting`);
      }
    }
    this.#armQuietTimer();
  }

  #armQuietTimer(): void {
    this.#clearQuietTimer();
    if (this.#framer.pending === 0) return;
    if ((this.#opts.terminator ?? 'CR') === 'none') {
      this.#quietTimer = setTimeout(() => {
        this.#quietTimer = undefined;
        const frame = this.#framer.flush();
        if (frame !== null) this.#emitFrame(frame);
      }, this.#opts.interCharTimeoutMs ?? 50);
    } else {
      // A fragment that never gets its terminator (noise, a scanner reset mid-scan)
      // must not be glued onto the front of the next good scan.
      this.#quietTimer = setTimeout(() => {
        this.#quietTimer = undefined;
        const n = this.#framer.discard();
        if (n > 0) {
          this.#stats.discarded++;
          this.problem(`dropped ${n} characters that never got a terminator — check the scanner's suffix setting`);
        }
      }, this.#opts.partialTimeoutMs ?? 1000);
    }
  }

  #clearQuietTimer(): void {
    if (this.#quietTimer) clearTimeout(this.#quietTimer);
    this.#quietTimer = undefined;
  }

  #emitFrame(latin1: string): void {
    let text = Buffer.from(latin1, 'latin1').toString(this.#opts.encoding ?? 'utf8');
    let aim: string | undefined;
    let symbology: string | undefined;
    if (this.#opts.stripAim) {
      const s = stripAimPrefix(text);
      ({ text, aim, symbology } = s);
      if (text.length === 0) {
        this.problem(`scan with AIM identifier ${aim ?? ''} but no data ignored`);
        return;
      }
    }
    this.#stats.scans++;
    this.emitScan({
      text,
      sourceId: this.id,
      at: this.#now(),
      ...(symbology ? { symbology } : {}),
      ...(aim ? { aim } : {}),
    });
  }
}

import { stripAimPrefix } from '../aim.js';
import { DEFAULT_BACKOFF, RetryTimer, type BackoffOptions } from '../backoff.js';
import { BaseScanner, errorMessage } from '../scanner.js';
import { ScanFramer, trimControls } from '../serial/framer.js';
import { describeSelector, matchDevices, type HidBackend, type HidDeviceHandle, type HidSelector } from './backend.js';
import { KeyboardReportDecoder } from './keyboard-decoder.js';
import type { LayoutId } from './layouts.js';
import { HID_POS_USAGE_PAGE, PosAssembler, type PosLayout } from './pos-decoder.js';

export interface DecodedScan {
  text: string;
  symbology?: string;
  aim?: string;
}

export interface HandlerResult {
  scans: DecodedScan[];
  problems: string[];
}

/** Turns one device's input reports into scans; the device class owns timing. */
export interface ReportHandler {
  push(report: Uint8Array): HandlerResult;
  /** Silence (ms) after which timeout() must run, or null when nothing is pending. */
  quietMs(): number | null;
  timeout(): HandlerResult;
  reset(): void;
}

export class PosReportHandler implements ReportHandler {
  readonly #asm: PosAssembler;
  constructor(
    layout: PosLayout,
    private readonly opts: { encoding?: 'utf8' | 'latin1'; stripAim?: boolean; continuationTimeoutMs?: number } = {},
  ) {
    this.#asm = new PosAssembler(layout);
  }

  push(report: Uint8Array): HandlerResult {
    return this.#convert(this.#asm.push(report));
  }

  quietMs(): number | null {
    return this.#asm.pending ? (this.opts.continuationTimeoutMs ?? 250) : null;
  }

  timeout(): HandlerResult {
    return this.#convert(this.#asm.timeout());
  }

  reset(): void {
    this.#asm.timeout();
  }

  #convert(events: ReturnType<PosAssembler['push']>): HandlerResult {
    const out: HandlerResult = { scans: [], problems: [] };
    for (const ev of events) {
      if (ev.type === 'problem') {
        out.problems.push(ev.message);
        continue;
      }
      let text = Buffer.from(ev.data).toString(this.opts.encoding ?? 'utf8');
      // Scanners pad with NUL and may append their serial-style suffix even in HID mode.
      text = trimControls(text);
      let { aim, symbology } = ev;
      if (this.opts.stripAim && !aim) ({ text, aim, symbology } = stripAimPrefix(text));
      if (text.length === 0) {
        out.problems.push('HID POS report carried no data');
        continue;
      }
      const scan: DecodedScan = { text };
      if (symbology) scan.symbology = symbology;
      if (aim) scan.aim = aim;
      out.scans.push(scan);
    }
    return out;
  }
}

export type KeyboardTerminator = 'Enter' | 'Tab' | 'none';

export class KeyboardReportHandler implements ReportHandler {
  readonly #decoder: KeyboardReportDecoder;
  readonly #framer: ScanFramer;
  constructor(
    layout: LayoutId,
    private readonly opts: {
      terminator?: KeyboardTerminator;
      interCharTimeoutMs?: number;
      partialTimeoutMs?: number;
      reportId?: 'auto' | number | null;
      stripAim?: boolean;
    } = {},
  ) {
    this.#decoder = new KeyboardReportDecoder({ layout, reportId: opts.reportId ?? 'auto' });
    const t = opts.terminator ?? 'Enter';
    this.#framer = new ScanFramer({ terminator: t === 'Enter' ? 'CR' : t === 'Tab' ? 'TAB' : 'none' });
  }

  push(report: Uint8Array): HandlerResult {
    const { text, problems } = this.#decoder.decode(report);
    const out: HandlerResult = { scans: [], problems };
    if (!text) return out;
    for (const ev of this.#framer.push(text)) {
      if (ev.type === 'frame') out.scans.push(this.#scan(ev.text));
      else out.problems.push(`discarded ${ev.length} typed characters without a terminator`);
    }
    return out;
  }

  quietMs(): number | null {
    if (this.#framer.pending === 0) return null;
    return (this.opts.terminator ?? 'Enter') === 'none' ? (this.opts.interCharTimeoutMs ?? 60) : (this.opts.partialTimeoutMs ?? 1000);
  }

  timeout(): HandlerResult {
    if ((this.opts.terminator ?? 'Enter') === 'none') {
      const frame = this.#framer.flush();
      return { scans: frame ? [this.#scan(frame)] : [], problems: [] };
    }
    const n = this.#framer.discard();
    return { scans: [], problems: n ? [`dropped ${n} keyboard characters that never got a terminator`] : [] };
  }

  reset(): void {
    this.#framer.discard();
    this.#decoder.reset();
  }

  #scan(text: string): DecodedScan {
    if (!this.opts.stripAim) return { text };
    const s = stripAimPrefix(text);
    const scan: DecodedScan = { text: s.text };
    if (s.symbology) scan.symbology = s.symbology;
    if (s.aim) scan.aim = s.aim;
    return scan;
  }
}

export interface HidScannerOptions {
  id?: string;
  selector: HidSelector;
  backend: HidBackend;
  reconnect?: BackoffOptions;
  now?: () => number;
}

/**
 * A HID scanner: finds its device by ids or path, reads reports, and when the device
 * vanishes polls the device list until it (or its replacement on another path) is back.
 */
export abstract class HidScanner extends BaseScanner {
  abstract override readonly kind: 'hid-pos' | 'hid-keyboard';
  readonly #opts: HidScannerOptions;
  readonly #handler: ReportHandler;
  readonly #retry: RetryTimer;
  readonly #now: () => number;
  #device: HidDeviceHandle | undefined;
  #running = false;
  #quietTimer: NodeJS.Timeout | undefined;
  #connecting = false;

  protected constructor(id: string, opts: HidScannerOptions, handler: ReportHandler) {
    super(id);
    this.#opts = opts;
    this.#handler = handler;
    this.#retry = new RetryTimer(opts.reconnect ?? DEFAULT_BACKOFF);
    this.#now = opts.now ?? Date.now;
  }

  async start(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    this.setStatus('connecting', describeSelector(this.#opts.selector));
    await this.#connect();
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.#retry.cancel();
    this.#clearQuiet();
    this.#handler.reset();
    const dev = this.#device;
    this.#device = undefined;
    if (dev) await this.#closeQuietly(dev);
    this.setStatus('disconnected', 'stopped');
  }

  async #connect(): Promise<void> {
    if (!this.#running || this.#connecting) return;
    this.#connecting = true;
    try {
      const sel = this.#opts.selector;
      let list;
      try {
        list = await this.#opts.backend.devices();
      } catch (err) {
        this.setStatus('error', errorMessage(err));
        return this.#scheduleReconnect();
      }
      const found = matchDevices(list, sel);
      const target = found[0];
      if (!target?.path) {
        this.setStatus('disconnected', `no HID device matching ${describeSelector(sel)}`);
        return this.#scheduleReconnect();
      }
      if (found.length > 1) {
        this.problem(
          `${found.length} HID devices match ${describeSelector(sel)}; using ${target.path} — set path or serialNumber to choose`,
        );
      }
      let dev: HidDeviceHandle;
      try {
        dev = await this.#opts.backend.open(target.path);
      } catch (err) {
        const msg = errorMessage(err);
        const perm = /permission|access/i.test(msg);
        this.setStatus(
          perm ? 'error' : 'disconnected',
          perm ? `${target.path}: ${msg} — grant the gate user access with a udev rule (docs/hardware.md)` : `${target.path}: ${msg}`,
        );
        return this.#scheduleReconnect();
      }
      if (!this.#running) {
        await this.#closeQuietly(dev);
        return;
      }
      this.#device = dev;
      dev.on('data', (data: Buffer) => {
        if (this.#device === dev) this.#onReport(data);
      });
      dev.on('error', (err: unknown) => {
        if (this.#device === dev) void this.#lost(dev, errorMessage(err));
      });
      this.#retry.reset();
      this.setStatus('connected', `${target.path}${target.product ? ` (${target.product})` : ''}`);
    } finally {
      this.#connecting = false;
    }
  }

  async #lost(dev: HidDeviceHandle, reason: string): Promise<void> {
    this.#device = undefined;
    this.#clearQuiet();
    this.#report(this.#handler.timeout());
    this.#handler.reset();
    await this.#closeQuietly(dev);
    if (!this.#running) return;
    this.setStatus('disconnected', `device lost: ${reason}`);
    this.#scheduleReconnect();
  }

  #scheduleReconnect(): void {
    if (this.#running) this.#retry.schedule(() => void this.#connect());
  }

  async #closeQuietly(dev: HidDeviceHandle): Promise<void> {
    dev.removeAllListeners('data');
    dev.removeAllListeners('error');
    dev.on('error', () => {});
    try {
      await dev.close();
    } catch {
      // The device is already gone; nothing left to release.
    }
  }

  #onReport(data: Uint8Array): void {
    this.#report(this.#handler.push(data));
    this.#clearQuiet();
    const ms = this.#handler.quietMs();
    if (ms !== null) {
      this.#quietTimer = setTimeout(() => {
        this.#quietTimer = undefined;
        this.#report(this.#handler.timeout());
      }, ms);
    }
  }

  #report(res: HandlerResult): void {
    for (const p of res.problems) this.problem(p);
    for (const s of res.scans) this.emitScan({ ...s, sourceId: this.id, at: this.#now() });
  }

  #clearQuiet(): void {
    if (this.#quietTimer) clearTimeout(this.#quietTimer);
    this.#quietTimer = undefined;
  }
}

export interface HidPosScannerOptions extends Omit<HidScannerOptions, 'selector'> {
  selector: HidSelector;
  layout?: PosLayout;
  encoding?: 'utf8' | 'latin1';
  stripAim?: boolean;
  continuationTimeoutMs?: number;
}

export class HidPosScanner extends HidScanner {
  readonly kind = 'hid-pos' as const;
  constructor(opts: HidPosScannerOptions) {
    const selector: HidSelector = { usagePage: HID_POS_USAGE_PAGE, ...opts.selector };
    super(
      opts.id ?? `hid-pos:${describeSelector({ ...selector, usagePage: undefined })}`,
      { ...opts, selector },
      new PosReportHandler(opts.layout ?? 'aim64', opts),
    );
  }
}

export interface HidKeyboardScannerOptions extends Omit<HidScannerOptions, 'selector'> {
  selector: HidSelector;
  layout: LayoutId;
  terminator?: KeyboardTerminator;
  interCharTimeoutMs?: number;
  partialTimeoutMs?: number;
  reportId?: 'auto' | number | null;
  stripAim?: boolean;
}

export class HidKeyboardScanner extends HidScanner {
  readonly kind = 'hid-keyboard' as const;
  constructor(opts: HidKeyboardScannerOptions) {
    // Keyboards are top-level collection Generic Desktop / Keyboard.
    const selector: HidSelector = { usagePage: 0x01, usage: 0x06, ...opts.selector };
    super(
      opts.id ?? `hid-keyboard:${describeSelector({ ...selector, usagePage: undefined })}`,
      { ...opts, selector },
      new KeyboardReportHandler(opts.layout, opts),
    );
  }
}

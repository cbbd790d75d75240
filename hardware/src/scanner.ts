import { EventEmitter } from 'node:events';

/** One whole barcode read, whatever device it came from. */
export interface Scan {
  text: string;
  sourceId: string;
  /** Normalised symbology name (`qr`, `code128`, …) when the device told us. */
  symbology?: string;
  /** Raw AIM identifier (`]Q1`) when the device sent one. */
  aim?: string;
  /** Epoch ms at which the scan completed (terminator or last report received). */
  at: number;
}

export type ScannerStatus = 'connecting' | 'connected' | 'disconnected' | 'error';

export type ScannerKind = 'serial' | 'hid-pos' | 'hid-keyboard' | 'push' | 'merged';

export interface ScannerEvents {
  scan: [scan: Scan];
  status: [status: ScannerStatus, detail?: string];
  problem: [message: string];
}

type Listener<K extends keyof ScannerEvents> = (...args: ScannerEvents[K]) => void;

export interface Scanner {
  readonly id: string;
  readonly kind: ScannerKind;
  start(): Promise<void>;
  stop(): Promise<void>;
  status(): ScannerStatus;
  /** Last status detail (why it is disconnected, which device it is using). */
  statusDetail(): string | undefined;
  on<K extends keyof ScannerEvents>(event: K, listener: Listener<K>): this;
  once<K extends keyof ScannerEvents>(event: K, listener: Listener<K>): this;
  off<K extends keyof ScannerEvents>(event: K, listener: Listener<K>): this;
}

/**
 * Shared status bookkeeping. Subclasses call setStatus/emitScan/problem and never
 * emit 'error': an unhandled 'error' event would crash the gate, and a scanner
 * fault must never take the process down.
 */
export abstract class BaseScanner extends EventEmitter<ScannerEvents> implements Scanner {
  abstract readonly kind: ScannerKind;
  #status: ScannerStatus = 'disconnected';
  #detail: string | undefined;

  constructor(readonly id: string) {
    super();
  }

  abstract start(): Promise<void>;
  abstract stop(): Promise<void>;

  status(): ScannerStatus {
    return this.#status;
  }

  statusDetail(): string | undefined {
    return this.#detail;
  }

  protected setStatus(status: ScannerStatus, detail?: string): void {
    // Repeated identical statuses (every failed reconnect attempt) would flood the UI.
    if (status === this.#status && detail === this.#detail) return;
    this.#status = status;
    this.#detail = detail;
    this.emit('status', status, detail);
  }

  protected emitScan(scan: Scan): void {
    this.emit('scan', scan);
  }

  protected problem(message: string): void {
    this.emit('problem', `${this.id}: ${message}`);
  }
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

export function errorCode(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err) {
    const code = (err as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

import { BaseScanner, type Scan } from './scanner.js';

/**
 * A scanner fed from outside this package: the kiosk renderer's keyboard-wedge
 * decoder or camera reader (through IPC), or a test. It lets those sources join the
 * same merged stream as the device drivers.
 */
export class PushScanner extends BaseScanner {
  readonly kind = 'push' as const;
  #running = false;

  constructor(
    id: string,
    private readonly now: () => number = Date.now,
  ) {
    super(id);
  }

  async start(): Promise<void> {
    this.#running = true;
    this.setStatus('connected');
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.setStatus('disconnected', 'stopped');
  }

  /** Returns false (and drops the scan) while stopped, so a closed gate admits nobody. */
  push(text: string, extra: Partial<Pick<Scan, 'symbology' | 'aim' | 'at'>> = {}): boolean {
    if (!this.#running) return false;
    if (text.length === 0) return false;
    this.emitScan({ text, sourceId: this.id, ...extra, at: extra.at ?? this.now() });
    return true;
  }

  /** Lets the feeding side report its own state (camera permission denied, …). */
  report(status: 'connected' | 'disconnected' | 'error', detail?: string): void {
    this.setStatus(status, detail);
  }
}

import { BaseScanner, type Scan, type Scanner, type ScannerStatus } from './scanner.js';

export interface MergeOptions {
  id?: string;
  /**
   * Identical text within this window is delivered once. Presentation scanners re-read
   * a code held under them several times a second, and two scanners at one turnstile
   * can see the same phone; the gate should see one scan, not a DUPLICATE verdict
   * flashing after the SUCCESS. Rotating codes change every ~50 s, so a real second
   * presentation is never inside the window. 0 disables.
   */
  dedupeWindowMs?: number;
  now?: () => number;
}

/** Several scanners feeding one gate: one stream of scans, one aggregate status. */
export class MergedScanner extends BaseScanner {
  readonly kind = 'merged' as const;
  readonly #children: Scanner[];
  readonly #window: number;
  readonly #now: () => number;
  readonly #recent = new Map<string, number>();
  #suppressed = 0;

  constructor(children: Scanner[], opts: MergeOptions = {}) {
    super(opts.id ?? 'gate-scanners');
    const ids = new Set<string>();
    for (const c of children) {
      if (ids.has(c.id)) throw new Error(`two scanners share the id '${c.id}'; give each an id in the configuration`);
      ids.add(c.id);
    }
    this.#children = [...children];
    this.#window = opts.dedupeWindowMs ?? 1500;
    this.#now = opts.now ?? Date.now;
    for (const c of this.#children) {
      c.on('scan', (s) => this.#onScan(s));
      c.on('problem', (msg) => this.emit('problem', msg));
      c.on('status', (st, detail) => this.#onChildStatus(c, st, detail));
    }
    this.#recompute();
  }

  get scanners(): readonly Scanner[] {
    return this.#children;
  }

  /** Scans dropped as repeats inside the dedupe window. */
  get suppressed(): number {
    return this.#suppressed;
  }

  statuses(): Record<string, { status: ScannerStatus; detail?: string }> {
    const out: Record<string, { status: ScannerStatus; detail?: string }> = {};
    for (const c of this.#children) {
      const detail = c.statusDetail();
      out[c.id] = detail === undefined ? { status: c.status() } : { status: c.status(), detail };
    }
    return out;
  }

  async start(): Promise<void> {
    // One scanner that cannot start must not keep the others from starting.
    const results = await Promise.allSettled(this.#children.map((c) => c.start()));
    results.forEach((r, i) => {
      if (r.status === 'rejected') this.emit('problem', `${this.#children[i]?.id}: failed to start: ${String(r.reason)}`);
    });
    this.#recompute();
  }

  async stop(): Promise<void> {
    await Promise.allSettled(this.#children.map((c) => c.stop()));
    this.#recompute();
  }

  #onScan(s: Scan): void {
    if (this.#window > 0) {
      const now = this.#now();
      for (const [text, at] of this.#recent) if (now - at > this.#window) this.#recent.delete(text);
      const last = this.#recent.get(s.text);
      this.#recent.set(s.text, now);
      if (last !== undefined && now - last <= this.#window) {
        this.#suppressed++;
        return;
      }
    }
    this.emitScan(s);
  }

  #onChildStatus(c: Scanner, st: ScannerStatus, detail?: string): void {
    this.#recompute(`${c.id}: ${st}${detail ? ` (${detail})` : ''}`);
  }

  #recompute(detail?: string): void {
    const all = this.#children.map((c) => c.status());
    let agg: ScannerStatus;
    if (all.length === 0) agg = 'disconnected';
    else if (all.includes('connected')) agg = 'connected';
    else if (all.includes('connecting')) agg = 'connecting';
    else if (all.every((s) => s === 'error')) agg = 'error';
    else agg = 'disconnected';
    this.setStatus(agg, detail ?? this.statusDetail());
  }
}

export function mergeScanners(scanners: Scanner[], opts?: MergeOptions): MergedScanner {
  return new MergedScanner(scanners, opts);
}

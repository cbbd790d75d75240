/**
 * Keyboard-wedge decoder for the kiosk renderer. A wedge scanner "types" its scan;
 * the page sees the same keydown events a person would produce. What gives a scanner
 * away is speed: it sends a key every few milliseconds, people manage one every
 * 100–300 ms. This module is pure (no DOM, no Node) so the renderer can bundle it and
 * tests can drive it with synthetic timestamps.
 *
 * Usage in a renderer: on every keydown call `push({ key: e.key, at: e.timeStamp })`,
 * and call `tick(performance.now())` when `deadline()` passes. Keys that come back
 * as 'typed' belong to a person and may be forwarded to the focused input.
 */
export interface WedgeKeyEvent {
  /** KeyboardEvent.key: one character, or a named key like 'Enter'. */
  key: string;
  /** Milliseconds on any monotonic clock (KeyboardEvent.timeStamp is fine). */
  at: number;
}

export interface WedgeOptions {
  /** A longer pause between two keys ends the burst. Scanners: 1–20 ms; people: 100+ ms. */
  maxGapMs: number;
  /** Bursts shorter than this are fast typing or a stray key, not a scan. */
  minLength: number;
  /** Key the scanner sends after the data; null for scanners without a suffix. */
  terminator: 'Enter' | 'Tab' | null;
  /** With terminator null: silence that ends a scan. Must be ≥ maxGapMs. */
  idleTimeoutMs: number;
  maxLength: number;
}

export const DEFAULT_WEDGE_OPTIONS: WedgeOptions = {
  maxGapMs: 50,
  minLength: 8,
  terminator: 'Enter',
  idleTimeoutMs: 100,
  maxLength: 4096,
};

export type WedgeOutput = { type: 'scan'; text: string; startedAt: number; endedAt: number } | { type: 'typed'; keys: WedgeKeyEvent[] };

// Keys that only change what the next key means; the scanner presses Shift for
// every capital, so these must neither count as characters nor break a burst.
const MODIFIERS = new Set([
  'Shift',
  'Control',
  'Alt',
  'AltGraph',
  'Meta',
  'CapsLock',
  'NumLock',
  'ScrollLock',
  'Fn',
  'OS',
  'Dead',
  'Unidentified',
]);

function isCharacter(key: string): boolean {
  // One code point (an astral character is two UTF-16 units but one key).
  return key.length > 0 && [...key].length === 1;
}

export class WedgeDecoder {
  readonly options: WedgeOptions;
  #burst: WedgeKeyEvent[] = [];

  constructor(opts: Partial<WedgeOptions> = {}) {
    this.options = { ...DEFAULT_WEDGE_OPTIONS, ...opts };
    if (this.options.terminator === null && this.options.idleTimeoutMs < this.options.maxGapMs) {
      this.options.idleTimeoutMs = this.options.maxGapMs;
    }
  }

  /** Keys held back because they might still become part of a scan. */
  get pending(): number {
    return this.#burst.length;
  }

  /** When tick() should next be called, or null when nothing is pending. */
  deadline(): number | null {
    const last = this.#burst.at(-1);
    if (!last) return null;
    return last.at + (this.options.terminator === null ? this.options.idleTimeoutMs : this.options.maxGapMs);
  }

  push(ev: WedgeKeyEvent): WedgeOutput[] {
    if (MODIFIERS.has(ev.key)) return [];
    const out: WedgeOutput[] = [];
    const last = this.#burst.at(-1);
    if (last && ev.at - last.at > this.options.maxGapMs) out.push(...this.#endBurst());

    const o = this.options;
    if (o.terminator !== null && ev.key === o.terminator) {
      if (this.#burst.length >= o.minLength) out.push(this.#scan());
      else out.push({ type: 'typed', keys: [...this.#takeBurst(), ev] });
      return out;
    }
    if (!isCharacter(ev.key)) {
      // Backspace, arrows, a terminator we are not configured for: a person, or a
      // scanner set up differently from what we expect. Either way not a scan.
      const keys = [...this.#takeBurst(), ev];
      out.push({ type: 'typed', keys });
      return out;
    }
    this.#burst.push(ev);
    if (this.#burst.length > o.maxLength) out.push({ type: 'typed', keys: this.#takeBurst() });
    return out;
  }

  /** Ends a burst whose deadline has passed. */
  tick(now: number): WedgeOutput[] {
    const dl = this.deadline();
    // Strictly after: a key arriving exactly maxGapMs later still continues the burst.
    if (dl === null || now <= dl) return [];
    return this.#endBurst();
  }

  reset(): WedgeOutput[] {
    const keys = this.#takeBurst();
    return keys.length ? [{ type: 'typed', keys }] : [];
  }

  #endBurst(): WedgeOutput[] {
    if (this.#burst.length === 0) return [];
    if (this.options.terminator === null && this.#burst.length >= this.options.minLength) return [this.#scan()];
    return [{ type: 'typed', keys: this.#takeBurst() }];
  }

  #scan(): WedgeOutput {
    const keys = this.#takeBurst();
    const first = keys[0] as WedgeKeyEvent;
    const lastKey = keys[keys.length - 1] as WedgeKeyEvent;
    return { type: 'scan', text: keys.map((k) => k.key).join(''), startedAt: first.at, endedAt: lastKey.at };
  }

  #takeBurst(): WedgeKeyEvent[] {
    const b = this.#burst;
    this.#burst = [];
    return b;
  }
}

/** Batch form: decodes a finished recording of key events. */
export function decodeWedge(events: readonly WedgeKeyEvent[], opts: Partial<WedgeOptions> = {}): WedgeOutput[] {
  const dec = new WedgeDecoder(opts);
  const out: WedgeOutput[] = [];
  for (const ev of events) {
    out.push(...dec.tick(ev.at));
    out.push(...dec.push(ev));
  }
  out.push(...dec.tick(Number.POSITIVE_INFINITY));
  return out;
}

/** Just the scans of a recording. */
export function wedgeScans(events: readonly WedgeKeyEvent[], opts: Partial<WedgeOptions> = {}): string[] {
  return decodeWedge(events, opts).flatMap((o) => (o.type === 'scan' ? [o.text] : []));
}

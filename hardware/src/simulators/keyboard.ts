import { MOD, USAGE, getLayout, type LayoutId } from '../hid/layouts.js';
import type { WedgeKeyEvent } from '../wedge/decoder.js';

/**
 * What a keyboard-mode scanner set to `layout` sends for `text`: for each character a
 * key-down report (modifiers + one usage) and an all-keys-up report, as scanners do so
 * that repeated characters register. Boot protocol: [modifiers, 0, k1..k6].
 */
export function encodeKeyboardReports(
  text: string,
  layout: LayoutId,
  opts: { terminator?: 'Enter' | 'Tab' | null; reportId?: number } = {},
): Uint8Array[] {
  const strokes: [number, number][] = [];
  for (const ch of text) strokes.push(...strokesFor(ch, layout));
  const term = opts.terminator === undefined ? 'Enter' : opts.terminator;
  if (term === 'Enter') strokes.push([0, USAGE.ENTER]);
  if (term === 'Tab') strokes.push([0, USAGE.TAB]);
  const reports: Uint8Array[] = [];
  const wrap = (r: number[]) => Uint8Array.from(opts.reportId !== undefined ? [opts.reportId, ...r] : r);
  for (const [mods, usage] of strokes) {
    reports.push(wrap([mods, 0, usage, 0, 0, 0, 0, 0]));
    reports.push(wrap([0, 0, 0, 0, 0, 0, 0, 0]));
  }
  return reports;
}

const reverseCache = new Map<LayoutId, Map<string, [number, number][]>>();

function strokesFor(ch: string, layout: LayoutId): [number, number][] {
  if (ch === '\r' || ch === '\n') return [[0, USAGE.ENTER]];
  if (ch === '\t') return [[0, USAGE.TAB]];
  let rev = reverseCache.get(layout);
  if (!rev) {
    rev = new Map();
    const levels = [0, MOD.LSHIFT, MOD.RALT];
    // Prefer the plainest way to type a character: unshifted, then Shift, then AltGr;
    // main keys before the keypad, as scanners do.
    const entries = [...getLayout(layout).keys].sort(([a], [b]) => Number(a >= 0x54) - Number(b >= 0x54) || a - b);
    for (let level = 0; level < 3; level++) {
      for (const [usage, def] of entries) {
        const out = def[level];
        if (typeof out === 'string' && !rev.has(out)) rev.set(out, [[levels[level] as number, usage]]);
      }
    }
    // Characters that only exist as dead keys are typed as dead key + space.
    for (let level = 0; level < 3; level++) {
      for (const [usage, def] of entries) {
        const out = def[level];
        if (out && typeof out !== 'string' && !rev.has(out.dead))
          rev.set(out.dead, [
            [levels[level] as number, usage],
            [0, USAGE.SPACE],
          ]);
      }
    }
    reverseCache.set(layout, rev);
  }
  const s = rev.get(ch);
  if (!s) throw new Error(`character ${JSON.stringify(ch)} cannot be typed on the ${layout} layout`);
  return s;
}

export interface BurstOptions {
  start?: number;
  /** Fixed gap, or a function giving each gap (for random jitter). */
  gapMs?: number | ((i: number) => number);
  terminator?: 'Enter' | 'Tab' | null;
}

/** Key events of a wedge scanner typing `text` (renderer side, KeyboardEvent.key values). */
export function keyEvents(text: string, opts: BurstOptions = {}): WedgeKeyEvent[] {
  const gap = opts.gapMs ?? 8;
  const gapAt = typeof gap === 'function' ? gap : () => gap;
  const keys = [...text];
  const term = opts.terminator === undefined ? 'Enter' : opts.terminator;
  if (term) keys.push(term);
  let t = opts.start ?? 0;
  return keys.map((key, i) => {
    if (i > 0) t += gapAt(i);
    return { key, at: t };
  });
}

/** A scanner burst: 5–20 ms per key is typical of USB keyboard-mode scanners. */
export const scannerBurst = (text: string, opts: BurstOptions = {}) => keyEvents(text, { gapMs: 8, ...opts });

/** A person typing: ~150 ms per key. */
export const humanTyping = (text: string, opts: BurstOptions = {}) => keyEvents(text, { gapMs: 150, terminator: null, ...opts });

import { MOD, USAGE, composeDead, getLayout, type KeyDef, type KeyOutput, type Layout, type LayoutId } from './layouts.js';

/**
 * Decodes boot-protocol keyboard input reports (modifier byte, reserved byte, up to
 * six key usages) into the text the scanner "typed". Pure and stateful: it keeps the
 * keys held in the previous report, because a key counts once when it appears, not
 * for every report in which it stays down.
 */
export interface KeyboardDecoderOptions {
  layout: LayoutId;
  /**
   * 'auto': 8-byte reports have no report ID, 9-byte reports start with one.
   * A number: reports must start with that ID (others, e.g. consumer keys, are ignored).
   * null: never a report ID.
   */
  reportId?: 'auto' | number | null;
}

export interface KeyboardDecodeResult {
  text: string;
  problems: string[];
}

const ROLLOVER_ERRORS = new Set([0x01, 0x02, 0x03]);

export class KeyboardReportDecoder {
  readonly layout: Layout;
  readonly #reportId: 'auto' | number | null;
  #held = new Set<number>();
  #prevMods = 0;
  #capsLock = false;
  #dead: string | null = null;
  #altCode: string | null = null;

  constructor(opts: KeyboardDecoderOptions) {
    this.layout = getLayout(opts.layout);
    this.#reportId = opts.reportId ?? 'auto';
  }

  reset(): void {
    this.#held.clear();
    this.#prevMods = 0;
    this.#capsLock = false;
    this.#dead = null;
    this.#altCode = null;
  }

  decode(report: Uint8Array): KeyboardDecodeResult {
    const problems: string[] = [];
    const body = this.#body(report, problems);
    if (!body) return { text: '', problems };
    const mods = body[0] as number;
    const keys = Array.from(body.subarray(2, 8)).filter((k) => k !== 0);
    let text = '';

    // Alt + keypad digits is the scanners' layout-independent "ALT mode": the
    // character is emitted when Alt is let go.
    const altNow = (mods & MOD.LALT) !== 0 && (mods & (MOD.LCTRL | MOD.RCTRL)) === 0;
    if ((this.#prevMods & MOD.LALT) !== 0 && !altNow && this.#altCode !== null) {
      text += this.#finishAltCode(problems);
    }
    this.#prevMods = mods;

    if (keys.some((k) => ROLLOVER_ERRORS.has(k))) {
      // Phantom state: the keyboard cannot tell which keys are down. Keep the
      // previous state, as the HID spec asks, rather than invent key presses.
      problems.push('keyboard reported rollover error; report ignored');
      return { text, problems };
    }

    const pressed = keys.filter((k) => !this.#held.has(k));
    this.#held = new Set(keys);
    for (const usage of pressed) text += this.#press(usage, mods, altNow, problems);
    return { text, problems };
  }

  #body(report: Uint8Array, problems: string[]): Uint8Array | null {
    let body = report;
    if (this.#reportId === 'auto') {
      if (report.length === 9) body = report.subarray(1);
    } else if (this.#reportId !== null) {
      if (report[0] !== this.#reportId) return null;
      body = report.subarray(1);
    }
    if (body.length < 8) {
      problems.push(`keyboard report too short (${report.length} bytes)`);
      return null;
    }
    return body;
  }

  #press(usage: number, mods: number, altNow: boolean, problems: string[]): string {
    if (usage === USAGE.CAPS_LOCK) {
      this.#capsLock = !this.#capsLock;
      return '';
    }
    if (altNow && usage >= USAGE.KP_1 && usage <= USAGE.KP_0) {
      const digit = usage === USAGE.KP_0 ? '0' : String(usage - USAGE.KP_1 + 1);
      this.#altCode = (this.#altCode ?? '') + digit;
      return '';
    }
    if (usage === USAGE.ENTER || usage === USAGE.KP_ENTER) return this.#emit('\r');
    if (usage === USAGE.TAB) return this.#emit('\t');
    if (usage === USAGE.ESCAPE) return this.#emit('\x1b');

    const def = this.layout.keys.get(usage);
    if (!def) {
      if (usage !== USAGE.BACKSPACE) problems.push(`key usage 0x${usage.toString(16)} has no character`);
      return '';
    }
    const shift = (mods & (MOD.LSHIFT | MOD.RSHIFT)) !== 0;
    const ctrl = (mods & (MOD.LCTRL | MOD.RCTRL)) !== 0;
    // Windows treats Ctrl+Alt like AltGr; scanners emulating AltGr send either.
    const altGr = (mods & MOD.RALT) !== 0 || (ctrl && (mods & MOD.LALT) !== 0);

    if (ctrl && !altGr) {
      // Scanners in "control character" mode send CR as Ctrl+M, GS as Ctrl+], …
      const base = def[0];
      if (typeof base === 'string' && /^[a-z]$/i.test(base)) return this.#emit(String.fromCharCode(base.toUpperCase().charCodeAt(0) - 64));
      problems.push(`Ctrl+${typeof base === 'string' ? base : `0x${usage.toString(16)}`} ignored`);
      return '';
    }
    const out = this.#select(def, shift, altGr);
    if (out === null) {
      problems.push(`key usage 0x${usage.toString(16)} has no character at this shift level`);
      return '';
    }
    if (typeof out !== 'string') {
      if (this.#dead !== null) {
        // Two dead keys in a row: Windows prints both accents.
        const first = this.#dead;
        this.#dead = null;
        return first + out.dead;
      }
      this.#dead = out.dead;
      return '';
    }
    return this.#emit(out);
  }

  #select(def: KeyDef, shift: boolean, altGr: boolean): KeyOutput {
    if (altGr) return def[2] ?? null;
    const base = def[0];
    let useShift = shift;
    if (this.#capsLock && typeof base === 'string' && base.length === 1 && base.toUpperCase() !== base) useShift = !shift;
    return useShift ? def[1] : def[0];
  }

  #emit(ch: string): string {
    if (this.#dead === null) return ch;
    const accent = this.#dead;
    this.#dead = null;
    if (ch.length === 1 && ch.charCodeAt(0) < 0x20) return accent + ch;
    return composeDead(accent, ch);
  }

  #finishAltCode(problems: string[]): string {
    const code = this.#altCode ?? '';
    this.#altCode = null;
    const n = Number.parseInt(code, 10);
    if (!Number.isFinite(n)) return '';
    if (n > 0 && n < 128) return this.#emit(String.fromCharCode(n));
    if (code.startsWith('0') && n < 256) return this.#emit(String.fromCharCode(n));
    problems.push(`Alt+${code} (OEM code page) is not supported; configure the scanner for ANSI (leading 0) ALT mode`);
    return '';
  }
}

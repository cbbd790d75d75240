/**
 * Turns a stream of characters into whole scans. Pure: timers live in the device
 * classes, which call flush()/discard() when the line goes quiet.
 *
 * Serial bytes are fed as latin1 strings (one char per byte) so that splitting on
 * ASCII terminators can never cut a multi-byte UTF-8 sequence in the wrong place:
 * UTF-8 continuation bytes are always >= 0x80.
 */
export type Terminator = 'CR' | 'LF' | 'CRLF' | 'TAB' | 'none';

const TERMINATOR_TEXT: Record<Exclude<Terminator, 'none'>, string> = {
  CR: '\r',
  LF: '\n',
  CRLF: '\r\n',
  TAB: '\t',
};

export interface FramerOptions {
  terminator: Terminator;
  /** A frame longer than this without a terminator is noise, not a scan. */
  maxLength?: number;
}

export type FramerEvent = { type: 'frame'; text: string } | { type: 'overflow'; length: number };

export class ScanFramer {
  #buf = '';
  readonly #term: string | null;
  readonly #maxLength: number;

  constructor(opts: FramerOptions) {
    this.#term = opts.terminator === 'none' ? null : TERMINATOR_TEXT[opts.terminator];
    this.#maxLength = opts.maxLength ?? 8192;
  }

  /** Characters waiting for a terminator. */
  get pending(): number {
    return this.#buf.length;
  }

  push(chunk: string): FramerEvent[] {
    const out: FramerEvent[] = [];
    this.#buf += chunk;
    if (this.#term !== null) {
      let idx: number;
      while ((idx = this.#buf.indexOf(this.#term)) !== -1) {
        const frame = trimControls(this.#buf.slice(0, idx));
        this.#buf = this.#buf.slice(idx + this.#term.length);
        // Empty frames are the LF of a CRLF pair when configured for CR, or a
        // scanner that sends a terminator on its own: nothing to report.
        if (frame.length > 0) out.push({ type: 'frame', text: frame });
      }
    }
    if (this.#buf.length > this.#maxLength) {
      out.push({ type: 'overflow', length: this.#buf.length });
      this.#buf = '';
    }
    return out;
  }

  /** Ends the current frame on an inter-character timeout (terminator 'none'). */
  flush(): string | null {
    const frame = trimControls(this.#buf);
    this.#buf = '';
    return frame.length > 0 ? frame : null;
  }

  /** Drops an incomplete frame; returns how many characters were dropped. */
  discard(): number {
    const n = trimControls(this.#buf).length;
    this.#buf = '';
    return n;
  }
}

/**
 * Strips C0 control characters (STX/ETX framing, stray CR/LF of a different
 * terminator convention, NUL padding) from both ends. Inner characters are data.
 */
export function trimControls(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && s.charCodeAt(start) < 0x20) start++;
  while (end > start && s.charCodeAt(end - 1) < 0x20) end--;
  return s.slice(start, end);
}

// process: engine
import type { ScanVerdict } from './verify/scan-desk.js';

/** Whatever opens the gate: a relay on a serial line, a GPIO, a simulator. */
export interface TurnstileOutput {
  pulse(): Promise<void> | void;
}

/** A passage sensor (hardware's PassageSensor, or anything that says "someone went through"). */
export interface PassageSource {
  on(event: 'passage', fn: () => void): unknown;
  off(event: 'passage', fn: () => void): unknown;
}

/** Timers, injectable so tests decide when a wait runs out. */
export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const REAL_TIMERS: Timers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (h) => clearTimeout(h as NodeJS.Timeout),
};

/**
 * A turnstile that confirms: after each pulse, the next passage the sensor
 * reports confirms the oldest admission still waiting; one that waits longer
 * than `timeoutMs` is annulled (nobody used it).
 */
export interface PassageConfirmation {
  sensor: PassageSource;
  timeoutMs: number;
  annul(v: ScanVerdict): void;
  confirmed?(v: ScanVerdict): void;
  timers?: Timers;
}

/** What opens the turnstile: an admission, or an exit of a ticket that was inside. */
const OPENS: ReadonlySet<ScanVerdict['result']> = new Set(['SUCCESS', 'EXITED']);

/**
 * Opens the turnstile on SUCCESS (and on an exit recorded as EXITED) and on
 * nothing else. A failing output is reported, never thrown: the verdict stands
 * and staff can open by hand. With passage sensing, each opening waits for its
 * passage (see PassageConfirmation); without it, behaviour is unchanged.
 * Returns a stop function that ends the waits (shutdown: waiting scans stay as
 * they are, neither confirmed nor annulled).
 */
export function wireTurnstile(
  source: { on(event: 'verdict', fn: (v: ScanVerdict) => void): unknown },
  output: TurnstileOutput,
  onProblem: (message: string) => void,
  passage?: PassageConfirmation,
): () => void {
  const waiting = passage ? passageQueue(passage, onProblem) : null;
  source.on('verdict', (v) => {
    if (!OPENS.has(v.result)) return;
    waiting?.add(v);
    try {
      void Promise.resolve(output.pulse()).catch((err: unknown) => onProblem(`turnstile: ${(err as Error).message}`));
    } catch (err) {
      onProblem(`turnstile: ${(err as Error).message}`);
    }
  });
  return () => waiting?.stop();
}

/** Openings waiting for their passage, oldest first: one passage per opening. */
function passageQueue(p: PassageConfirmation, onProblem: (message: string) => void) {
  const timers = p.timers ?? REAL_TIMERS;
  const queue: { v: ScanVerdict; timer: unknown }[] = [];
  const settle = (entry: { v: ScanVerdict; timer: unknown }, fn: (v: ScanVerdict) => void) => {
    const i = queue.indexOf(entry);
    if (i < 0) return;
    queue.splice(i, 1);
    timers.clear(entry.timer);
    try {
      fn(entry.v);
    } catch (err) {
      onProblem(`passage: ${(err as Error).message}`);
    }
  };
  const onPassage = () => {
    const first = queue[0];
    // A passage with nobody admitted (tailgating, a sensor glitch) confirms nothing.
    if (first) settle(first, (v) => p.confirmed?.(v));
  };
  p.sensor.on('passage', onPassage);
  return {
    add(v: ScanVerdict) {
      const entry: { v: ScanVerdict; timer: unknown } = { v, timer: null };
      entry.timer = timers.set(() => settle(entry, (x) => p.annul(x)), p.timeoutMs);
      queue.push(entry);
    },
    stop() {
      p.sensor.off('passage', onPassage);
      for (const e of queue.splice(0)) timers.clear(e.timer);
    },
  };
}

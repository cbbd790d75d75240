import { EventEmitter } from 'node:events';

export type OutputState = 'on' | 'off' | 'unknown';

export interface OutputEvents {
  state: [state: OutputState];
  problem: [message: string];
}

/** What the gate drives on SUCCESS. "on" = turnstile unlocked. */
export interface TurnstileOutput {
  readonly id: string;
  readonly kind: string;
  /** Unlock for `ms` (default 200 ms), then lock. Pulses queue; each one admits one person. */
  pulse(ms?: number): Promise<void>;
  /** Unlock until release() (free passage, evacuation). */
  hold(): Promise<void>;
  /** Lock. Always sends the "off" command, even if we believe it is already off. */
  release(): Promise<void>;
  /** Locks if not known to be locked, then frees the device. */
  close(): Promise<void>;
  state(): OutputState;
  on<K extends keyof OutputEvents>(event: K, listener: (...args: OutputEvents[K]) => void): this;
}

export const DEFAULT_PULSE_MS = 200;
/** A pulse long enough to matter is a bug (or an attack on the config): refuse it. */
export const MAX_PULSE_MS = 10_000;

export interface SwitchedOutputOptions {
  defaultPulseMs?: number;
  maxPulseMs?: number;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Pulse/hold/release on top of a two-state switch. Commands run strictly one after
 * another, so a pulse can never interleave with a release and leave the turnstile
 * open; and nothing here ever switches on except a pulse() or hold() call.
 */
export abstract class SwitchedOutput extends EventEmitter<OutputEvents> implements TurnstileOutput {
  abstract readonly kind: string;
  readonly defaultPulseMs: number;
  readonly maxPulseMs: number;
  #queue: Promise<unknown> = Promise.resolve();
  #state: OutputState;
  #held = false;
  #closed = false;

  constructor(
    readonly id: string,
    opts: SwitchedOutputOptions = {},
    initialState: OutputState = 'unknown',
  ) {
    super();
    this.defaultPulseMs = opts.defaultPulseMs ?? DEFAULT_PULSE_MS;
    this.maxPulseMs = opts.maxPulseMs ?? MAX_PULSE_MS;
    this.#state = initialState;
  }

  protected abstract switchOn(): Promise<void>;
  protected abstract switchOff(): Promise<void>;
  protected abstract dispose(): Promise<void>;

  /** Default pulse: on, wait, off — with off guaranteed to be attempted. */
  protected async pulseSwitch(ms: number): Promise<void> {
    await this.setOn();
    try {
      await sleep(ms);
    } finally {
      await this.setOff();
    }
  }

  state(): OutputState {
    return this.#state;
  }

  protected setState(s: OutputState): void {
    if (s === this.#state) return;
    this.#state = s;
    this.emit('state', s);
  }

  protected async setOn(): Promise<void> {
    // Marked before the command: if it fails half-way we must assume it may be on.
    this.setState('unknown');
    await this.switchOn();
    this.setState('on');
  }

  protected async setOff(): Promise<void> {
    try {
      await this.switchOff();
    } catch (err) {
      this.setState('unknown');
      throw err;
    }
    this.setState('off');
  }

  pulse(ms: number = this.defaultPulseMs): Promise<void> {
    if (!Number.isFinite(ms) || ms <= 0 || ms > this.maxPulseMs) {
      return Promise.reject(new RangeError(`pulse length must be between 1 and ${this.maxPulseMs} ms (got ${ms})`));
    }
    return this.#enqueue(async () => {
      // Already held open: the person can pass; switching off afterwards would end the hold.
      if (this.#held) return;
      await this.pulseSwitch(ms);
    });
  }

  hold(): Promise<void> {
    return this.#enqueue(async () => {
      await this.setOn();
      this.#held = true;
    });
  }

  release(): Promise<void> {
    return this.#enqueue(async () => {
      this.#held = false;
      await this.setOff();
    });
  }

  close(): Promise<void> {
    if (this.#closed) return this.#queue.then(() => undefined);
    const done = this.#enqueue(async () => {
      this.#held = false;
      try {
        if (this.#state !== 'off') await this.setOff();
      } catch (err) {
        this.emit('problem', `${this.id}: could not switch off while closing: ${(err as Error).message}`);
      } finally {
        await this.dispose();
      }
    });
    this.#closed = true;
    return done;
  }

  #enqueue(fn: () => Promise<void>): Promise<void> {
    if (this.#closed) return Promise.reject(new Error(`output ${this.id} is closed`));
    const run = this.#queue.then(fn);
    // The queue itself never rejects, so one failed command does not block the next.
    this.#queue = run.catch(() => undefined);
    return run;
  }
}

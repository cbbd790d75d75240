export interface BackoffOptions {
  /** First retry delay after a failure. */
  initialMs: number;
  /** Ceiling: an unplugged scanner is polled at this rate until it comes back. */
  maxMs: number;
  factor?: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 250, maxMs: 5_000, factor: 2 };

/**
 * Schedules reconnect attempts with exponential backoff. A single pending timer at
 * a time, so a burst of 'close' + 'error' events cannot start parallel reopen loops.
 */
export class RetryTimer {
  #delay: number;
  #timer: NodeJS.Timeout | undefined;

  constructor(private readonly opts: BackoffOptions = DEFAULT_BACKOFF) {
    this.#delay = opts.initialMs;
  }

  get pending(): boolean {
    return this.#timer !== undefined;
  }

  schedule(fn: () => void): number {
    this.cancel();
    const delay = this.#delay;
    this.#delay = Math.min(this.opts.maxMs, Math.max(1, delay * (this.opts.factor ?? 2)));
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      fn();
    }, delay);
    return delay;
  }

  reset(): void {
    this.#delay = this.opts.initialMs;
  }

  cancel(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}

// process: engine
import { Backoff, type BackoffOptions } from './backoff.js';

/** What a loop's task asks for next: run again after `ms` (Infinity: only when woken). */
export type NextRun = number;

export interface LoopOptions {
  backoff?: BackoffOptions;
  onError?: (err: unknown, retryInMs: number) => void;
}

/**
 * Runs one async task over and over: after a success it waits as long as the
 * task asks (or until woken), after a failure it backs off exponentially.
 * stop() aborts the running task's signal and resolves once it has returned.
 */
export class Loop {
  private readonly backoff: Backoff;
  private controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private wakeUp: (() => void) | undefined;
  private running: Promise<void> | undefined;
  private woken = false;
  private backingOff = false;
  private stopped = true;

  constructor(
    readonly name: string,
    private readonly task: (signal: AbortSignal) => Promise<NextRun>,
    private readonly opts: LoopOptions = {},
  ) {
    this.backoff = new Backoff(opts.backoff);
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.controller = new AbortController();
    this.running = this.run();
  }

  /**
   * Runs the task as soon as the current run (if any) finishes. A loop backing
   * off after a failure keeps waiting: new work must not turn backoff into a
   * retry per scan. retryNow() is for proof that the link is back.
   */
  wake(): void {
    this.woken = true;
    if (!this.backingOff) this.wakeUp?.();
  }

  retryNow(): void {
    this.woken = true;
    this.backoff.reset();
    this.wakeUp?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.controller.abort();
    this.wakeUp?.();
    await this.running;
  }

  get failures(): number {
    return this.backoff.failures;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      this.woken = false;
      let wait: number;
      try {
        wait = await this.task(this.controller.signal);
        this.backoff.reset();
        this.backingOff = false;
      } catch (err) {
        if (this.stopped) break;
        wait = this.backoff.next();
        this.backingOff = true;
        this.opts.onError?.(err, wait);
      }
      if (this.stopped) break;
      if (!this.woken || this.backingOff) await this.sleep(wait);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(this.timer);
        this.wakeUp = undefined;
        resolve();
      };
      this.wakeUp = done;
      if (Number.isFinite(ms)) this.timer = setTimeout(done, Math.max(0, ms));
    });
  }
}

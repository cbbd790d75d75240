// process: engine
export interface ClockSnapshot {
  offsetMs: number | null;
  /** Round trip of the request the offset was learned from (its uncertainty is half of it). */
  sampleRttMs: number | null;
  learnedAt: number | null;
  /** Set when |offset| exceeds the QR clock skew: freshness checks are then unreliable. */
  warning: string | null;
}

/**
 * The device clock's offset from the server's (server = device + offset),
 * learned from every response: the body's `server_time` (ms precision) when
 * there is one, else the `Date` header (1 s precision). Verdicts and uploaded
 * scan times use the corrected clock; the raw device time is recorded too.
 */
export class GateClock {
  private offsetMs: number | null;
  private sampleRttMs: number | null = null;
  private learnedAt: number | null = null;
  private preciseAt = -Infinity;
  private listeners = new Set<(offsetMs: number) => void>();

  constructor(
    private readonly deviceNow: () => number = Date.now,
    private readonly skewMs = 10_000,
    initialOffsetMs: number | null = null,
  ) {
    this.offsetMs = initialOffsetMs;
  }

  /** Device time now (ms). */
  device(): number {
    return this.deviceNow();
  }

  /** Best estimate of the server's time now (ms). */
  now(): number {
    return this.deviceNow() + (this.offsetMs ?? 0);
  }

  offset(): number {
    return this.offsetMs ?? 0;
  }

  /**
   * One observation: the request left at `sentAt` and its reply arrived at
   * `receivedAt` (device clock); the server said `serverTime`.
   */
  observe(sample: { sentAt: number; receivedAt: number; serverTime?: string | null; dateHeader?: string | null }): void {
    const rtt = Math.max(0, sample.receivedAt - sample.sentAt);
    const midpoint = sample.sentAt + rtt / 2;
    const precise = sample.serverTime ? Date.parse(sample.serverTime) : NaN;
    if (Number.isFinite(precise)) {
      // A slow reply says little about when the server stamped it; keep a tighter sample.
      if (this.offsetMs !== null && this.sampleRttMs !== null && rtt > Math.max(1000, 4 * this.sampleRttMs) &&
          sample.receivedAt - (this.learnedAt ?? 0) < 60_000) return;
      this.preciseAt = sample.receivedAt;
      this.set(Math.round(precise - midpoint), rtt, sample.receivedAt);
      return;
    }
    const coarse = sample.dateHeader ? Date.parse(sample.dateHeader) : NaN;
    if (!Number.isFinite(coarse)) return;
    // The header truncates to the second: the true server time lies in [coarse, coarse + 1000).
    const estimate = Math.round(coarse + 500 - midpoint);
    const recentPrecise = sample.receivedAt - this.preciseAt < 60_000;
    if (this.offsetMs === null || (!recentPrecise && Math.abs(estimate - this.offsetMs) > 1000 + rtt / 2)) {
      this.set(estimate, rtt + 1000, sample.receivedAt);
    }
  }

  onChange(fn: (offsetMs: number) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  snapshot(): ClockSnapshot {
    const off = this.offsetMs;
    const warning =
      off !== null && Math.abs(off) > this.skewMs
        ? `device clock is ${(Math.abs(off) / 1000).toFixed(1)} s ${off > 0 ? 'behind' : 'ahead of'} the server (allowed skew ${this.skewMs / 1000} s): fix the clock; QR freshness uses the server's time meanwhile`
        : null;
    return { offsetMs: off, sampleRttMs: this.sampleRttMs, learnedAt: this.learnedAt, warning };
  }

  private set(offsetMs: number, rtt: number, at: number): void {
    const changed = this.offsetMs === null || Math.abs(offsetMs - this.offsetMs) >= 1;
    this.offsetMs = offsetMs;
    this.sampleRttMs = rtt;
    this.learnedAt = at;
    if (changed) for (const fn of this.listeners) fn(offsetMs);
  }
}

// process: engine
export interface ClockSnapshot {
  offsetMs: number | null;
  /** Round trip of the request the offset was learned from (its uncertainty is half of it). */
  sampleRttMs: number | null;
  learnedAt: number | null;
  /** Set when |offset| exceeds the QR clock skew, or when a jump of the server's time was refused. */
  warning: string | null;
  /** The jump (ms) of the last refused sample while it is not yet confirmed, null when none. */
  refusedJumpMs: number | null;
}

export interface ClockBounds {
  /** Largest move of the offset one sample may make (ms). */
  maxStepMs: number;
  /** Consecutive samples agreeing on a larger jump before it is believed. */
  confirmSamples: number;
  /** Samples agree when within this of each other (ms, plus their round trips). */
  agreeMs: number;
  /** A confirming sample counts only this long after the previous one (ms): one sync, one vote. */
  confirmSpacingMs: number;
}

export const DEFAULT_CLOCK_BOUNDS: ClockBounds = { maxStepMs: 5_000, confirmSamples: 3, agreeMs: 2_000, confirmSpacingMs: 1_000 };

/**
 * The device clock's offset from the server's (server = device + offset),
 * learned from the `server_time` of signed, verified replies only (an unsigned
 * `Date` header could be anyone's). Verdicts and uploaded scan times use the
 * corrected clock; the raw device time is recorded too.
 *
 * The offset cannot be dragged: once known, one sample moves it by at most
 * `maxStepMs`; a larger jump is refused (and shown to the steward) unless
 * `confirmSamples` consecutive samples, from separate syncs, agree on it — as
 * they do when the kiosk's own clock was really reset.
 */
export class GateClock {
  private offsetMs: number | null;
  private sampleRttMs: number | null = null;
  private learnedAt: number | null = null;
  private pending: { offsetMs: number; count: number; lastAt: number; rtt: number } | null = null;
  private listeners = new Set<(offsetMs: number) => void>();

  constructor(
    private readonly deviceNow: () => number = Date.now,
    private readonly skewMs = 10_000,
    initialOffsetMs: number | null = null,
    private readonly bounds: ClockBounds = DEFAULT_CLOCK_BOUNDS,
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
   * `receivedAt` (device clock); the server said `serverTime` in a verified reply.
   */
  observe(sample: { sentAt: number; receivedAt: number; serverTime?: string | null }): void {
    const rtt = Math.max(0, sample.receivedAt - sample.sentAt);
    const precise = sample.serverTime ? Date.parse(sample.serverTime) : NaN;
    if (!Number.isFinite(precise)) return;
    // A slow reply says little about when the server stamped it; keep a tighter sample.
    if (
      this.offsetMs !== null &&
      this.sampleRttMs !== null &&
      rtt > Math.max(1000, 4 * this.sampleRttMs) &&
      sample.receivedAt - (this.learnedAt ?? 0) < 60_000
    )
      return;
    const candidate = Math.round(precise - (sample.sentAt + rtt / 2));
    if (this.offsetMs === null || Math.abs(candidate - this.offsetMs) <= this.bounds.maxStepMs) {
      this.pending = null;
      this.set(candidate, rtt, sample.receivedAt);
      return;
    }
    this.considerJump(candidate, rtt, sample.receivedAt);
  }

  onChange(fn: (offsetMs: number) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  snapshot(): ClockSnapshot {
    const off = this.offsetMs;
    const refusedJumpMs = this.pending && off !== null ? this.pending.offsetMs - off : null;
    const warning =
      refusedJumpMs !== null
        ? `server time jumped by ${(refusedJumpMs / 1000).toFixed(1)} s: refused (the clock moves at most ${this.bounds.maxStepMs / 1000} s per sync unless ${this.bounds.confirmSamples} syncs agree); QR freshness keeps the last good offset`
        : off !== null && Math.abs(off) > this.skewMs
          ? `device clock is ${(Math.abs(off) / 1000).toFixed(1)} s ${off > 0 ? 'behind' : 'ahead of'} the server (allowed skew ${this.skewMs / 1000} s): fix the clock; QR freshness uses the server's time meanwhile`
          : null;
    return { offsetMs: off, sampleRttMs: this.sampleRttMs, learnedAt: this.learnedAt, warning, refusedJumpMs };
  }

  /** A sample far from the offset: a vote for a jump, believed only when enough separate syncs agree. */
  private considerJump(candidate: number, rtt: number, at: number): void {
    const p = this.pending;
    if (p && Math.abs(candidate - p.offsetMs) <= this.bounds.agreeMs + (rtt + p.rtt) / 2) {
      if (at - p.lastAt < this.bounds.confirmSpacingMs) return;
      p.count++;
      p.lastAt = at;
      if (p.count >= this.bounds.confirmSamples) {
        this.pending = null;
        this.set(candidate, rtt, at);
      }
      return;
    }
    this.pending = { offsetMs: candidate, count: 1, lastAt: at, rtt };
  }

  private set(offsetMs: number, rtt: number, at: number): void {
    const changed = this.offsetMs === null || Math.abs(offsetMs - this.offsetMs) >= 1;
    this.offsetMs = offsetMs;
    this.sampleRttMs = rtt;
    this.learnedAt = at;
    if (changed) for (const fn of this.listeners) fn(offsetMs);
  }
}

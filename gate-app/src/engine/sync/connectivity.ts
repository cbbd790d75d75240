// process: engine
export type ConnectivityState = 'online' | 'degraded' | 'offline';

export interface ConnectivityOptions {
  /** A reply slower than this counts against the link. */
  slowMs?: number;
  /** Consecutive failed requests after which the gate is offline. */
  offlineAfterFailures?: number;
  /** With no successful request for this long, the gate is offline whatever happened since. */
  staleAfterMs?: number;
}

export interface ConnectivitySnapshot {
  state: ConnectivityState;
  lastSuccessAt: number | null;
  lastFailureAt: number | null;
  lastError: string | null;
  consecutiveFailures: number;
  /** Median latency of the last successful requests (ms). */
  latencyMs: number | null;
  streamConnected: boolean;
}

const WINDOW = 8;

/**
 * Connectivity as the outcomes of real requests show it, never a switch: the
 * sync client reports every request (and the live stream's state) here.
 *
 * - offline: the last `offlineAfterFailures` requests failed, or nothing has
 *   succeeded for `staleAfterMs` (or ever);
 * - degraded: the server answers, but slowly, after a failure, or without the live stream;
 * - online: the last request succeeded quickly and the live stream is up.
 */
export class Connectivity {
  private readonly slowMs: number;
  private readonly offlineAfterFailures: number;
  private readonly staleAfterMs: number;
  private latencies: number[] = [];
  private lastSuccessAt: number | null = null;
  private lastFailureAt: number | null = null;
  private lastError: string | null = null;
  private consecutiveFailures = 0;
  private streamConnected = false;
  private listeners = new Set<(state: ConnectivityState) => void>();
  private lastState: ConnectivityState = 'offline';

  constructor(
    private readonly now: () => number = Date.now,
    opts: ConnectivityOptions = {},
  ) {
    this.slowMs = opts.slowMs ?? 1500;
    this.offlineAfterFailures = opts.offlineAfterFailures ?? 2;
    this.staleAfterMs = opts.staleAfterMs ?? 90_000;
  }

  success(latencyMs: number): void {
    this.latencies.push(latencyMs);
    if (this.latencies.length > WINDOW) this.latencies.shift();
    this.lastSuccessAt = this.now();
    this.consecutiveFailures = 0;
    this.changed();
  }

  failure(error: string): void {
    this.lastFailureAt = this.now();
    this.lastError = error;
    this.consecutiveFailures++;
    this.changed();
  }

  stream(connected: boolean): void {
    this.streamConnected = connected;
    this.changed();
  }

  onChange(fn: (state: ConnectivityState) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  state(): ConnectivityState {
    if (this.lastSuccessAt === null) return 'offline';
    if (this.consecutiveFailures >= this.offlineAfterFailures) return 'offline';
    // A live stream proves the link even when no request was needed for a while.
    if (!this.streamConnected && this.now() - this.lastSuccessAt > this.staleAfterMs) return 'offline';
    if (this.consecutiveFailures > 0 || !this.streamConnected) return 'degraded';
    const latency = this.medianLatency();
    if (latency !== null && latency > this.slowMs) return 'degraded';
    return 'online';
  }

  snapshot(): ConnectivitySnapshot {
    return {
      state: this.state(),
      lastSuccessAt: this.lastSuccessAt,
      lastFailureAt: this.lastFailureAt,
      lastError: this.lastError,
      consecutiveFailures: this.consecutiveFailures,
      latencyMs: this.medianLatency(),
      streamConnected: this.streamConnected,
    };
  }

  private medianLatency(): number | null {
    if (this.latencies.length === 0) return null;
    const sorted = [...this.latencies].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)]!;
  }

  private changed(): void {
    const state = this.state();
    if (state === this.lastState) return;
    this.lastState = state;
    for (const fn of this.listeners) fn(state);
  }
}

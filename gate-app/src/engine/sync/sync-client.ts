// process: engine
import { EventEmitter } from 'node:events';
import type { GateStore } from '../store/gate-store.js';
import { ServerError, type ApiClient } from './api-client.js';
import type { GateClock } from './clock.js';
import { recheckLostAdmission } from './conflict-recheck.js';
import type { Connectivity } from './connectivity.js';
import { IntegrityError, type IntegrityMonitor } from './integrity.js';
import { followLiveStream } from './live-stream.js';
import { Loop } from './loop.js';
import { Puller, type PullReport } from './puller.js';
import { MAX_BATCH, Pusher, type PushReport } from './pusher.js';
import type { SyncTrust } from './trust.js';

export interface SyncTiming {
  /** Safety-net pull of the manifest and all deltas, live stream or not. */
  pollIntervalMs: number;
  /** Scans recorded within this window go up in one batch. */
  pushDelayMs: number;
  /** Backoff ceiling when the server is unreachable. */
  maxBackoffMs: number;
  initialBackoffMs: number;
  /** A live stream silent this long is reopened. */
  streamIdleMs: number;
}

export const DEFAULT_TIMING: SyncTiming = {
  pollIntervalMs: 15_000,
  pushDelayMs: 100,
  maxBackoffMs: 30_000,
  initialBackoffMs: 500,
  streamIdleMs: 45_000,
};

export interface SyncEvents {
  pulled: [reports: PullReport[]];
  pushed: [report: PushReport];
  keys: [];
  revoked: [note: string];
  admission: [seatId: string];
  /** The device certificate for the mesh was checked (and renewed) with the server. */
  certified: [];
  problem: [message: string];
}

/**
 * Moves data between the gate and the server, never decides anything: three
 * loops (pull, push, live stream), each retrying on its own with backoff.
 * Revocation (a DEVICE_REVOKED reply or a `revoked` message) stops them all.
 * A reply or message that fails verification is refused (IntegrityError): it is
 * reported to the integrity monitor and retried like any failure, and nothing
 * of it is applied.
 */
export class SyncClient extends EventEmitter<SyncEvents> {
  readonly puller: Puller;
  readonly pusher: Pusher;
  private readonly pullLoop: Loop;
  private readonly pushLoop: Loop;
  private readonly streamLoop: Loop;
  private readonly dirty = new Set<string>();
  private nextFullPullAt = 0;
  private pushTimer: NodeJS.Timeout | undefined;
  private started = false;
  private unknownAt: number | null = null;
  private lastPushAt: number | null = null;
  private unsubscribe: (() => void) | undefined;
  /** Ends the current live stream (it was opened under a sync key the gate no longer pins); the loop reopens it. */
  private streamRestart: AbortController | undefined;

  constructor(
    private readonly api: ApiClient,
    private readonly store: GateStore,
    private readonly clock: GateClock,
    private readonly connectivity: Connectivity,
    private readonly trust: SyncTrust,
    private readonly integrity: IntegrityMonitor,
    private readonly timing: SyncTiming = DEFAULT_TIMING,
    /** This gate is on the hall mesh: keep its device certificate current (docs/mesh.md). */
    private readonly mesh = false,
  ) {
    super();
    this.puller = new Puller(
      api,
      store,
      () => clock.device(),
      () => this.emit('keys'),
      trust,
      () => this.streamRestart?.abort(),
    );
    this.pusher = new Pusher(api, store, clock, integrity);
    const backoff = { initialMs: timing.initialBackoffMs, maxMs: timing.maxBackoffMs };
    const onError = (what: string) => (err: unknown, retryInMs: number) => this.failed(what, err, retryInMs);
    this.pullLoop = new Loop('pull', (s) => this.pullTask(s), { backoff, onError: onError('pull') });
    this.pushLoop = new Loop('push', (s) => this.pushTask(s), { backoff, onError: onError('push') });
    this.streamLoop = new Loop('stream', (s) => this.streamTask(s), { backoff, onError: onError('live stream') });
  }

  start(): void {
    if (this.started || this.revoked()) return;
    this.started = true;
    // The first request that gets through after an outage retries everything at once.
    const offConnectivity = this.connectivity.onChange((state) => {
      if (state === 'offline') return;
      this.pushLoop.retryNow();
      this.pullLoop.retryNow();
    });
    // A first refusal goes up to operators with the next upload, scans or not.
    const offIntegrity = this.integrity.onChange(() => this.pushLoop.wake());
    this.unsubscribe = () => {
      offConnectivity();
      offIntegrity();
    };
    this.pullLoop.start();
    this.pushLoop.start();
    this.streamLoop.start();
  }

  async stop(): Promise<void> {
    this.started = false;
    clearTimeout(this.pushTimer);
    this.unsubscribe?.();
    await Promise.all([this.pullLoop.stop(), this.pushLoop.stop(), this.streamLoop.stop()]);
  }

  /** A scan was recorded: upload within pushDelayMs, batched with whatever else comes meanwhile. */
  scanRecorded(): void {
    if (!this.started || this.pushTimer) return;
    this.pushTimer = setTimeout(() => {
      this.pushTimer = undefined;
      this.pushLoop.wake();
    }, this.timing.pushDelayMs);
  }

  /** Asks for a pull of everything now (after a reconnect, on operator request). */
  pullNow(): void {
    this.nextFullPullAt = 0;
    this.pullLoop.wake();
  }

  get lastPush(): number | null {
    return this.lastPushAt;
  }

  /** When the server last refused this device's token as unknown (a deleted device, a reset server). */
  get lastUnknownAt(): number | null {
    return this.unknownAt;
  }

  private revoked(): boolean {
    return this.store.device.get()?.revoked_at != null;
  }

  private async pullTask(signal: AbortSignal): Promise<number> {
    const now = this.clock.device();
    let reports: PullReport[];
    if (now >= this.nextFullPullAt) {
      this.dirty.clear();
      reports = await this.puller.all(signal);
      this.nextFullPullAt = now + this.timing.pollIntervalMs;
      if (this.mesh) await this.certify(signal);
    } else {
      reports = [];
      for (const eventId of [...this.dirty]) {
        this.dirty.delete(eventId);
        try {
          reports.push(await this.puller.event(eventId, signal));
        } catch (err) {
          this.dirty.add(eventId);
          throw err;
        }
      }
      this.store.syncState.recordSuccess(this.clock.device());
    }
    if (reports.length) this.emit('pulled', reports);
    if (reports.some((r) => r.requeued > 0)) this.pushLoop.wake();
    return Math.max(0, this.nextFullPullAt - this.clock.device());
  }

  /** A certificate problem silences this gate on the mesh but must not stop its sync with the server: reported, retried next pull. */
  private async certify(signal: AbortSignal): Promise<void> {
    try {
      await this.puller.certify(signal);
      this.emit('certified');
    } catch (err) {
      if (signal.aborted) throw err;
      if (err instanceof IntegrityError) this.integrity.refused(err.message);
      this.emit('problem', `mesh certificate: ${err instanceof Error ? err.message : String(err)} (retried at the next pull)`);
    }
  }

  private async pushTask(signal: AbortSignal): Promise<number> {
    const report = await this.pusher.once(signal);
    if (report.sent === 0) return Infinity;
    this.lastPushAt = this.clock.device();
    this.emit('pushed', report);
    // A full batch means more are waiting; scans the server left unsettled wait for the next wake, never a hot loop.
    return report.sent === MAX_BATCH || report.requeued > 0 ? 0 : Infinity;
  }

  private async streamTask(loopSignal: AbortSignal): Promise<number> {
    let greeted = false;
    this.streamRestart = new AbortController();
    const signal = AbortSignal.any([loopSignal, this.streamRestart.signal]);
    await followLiveStream(
      this.api,
      this.connectivity,
      {
        hello: (m) => {
          greeted = true;
          // Without a round trip the hello's time is a poor sample: only a first guess.
          if (this.clock.snapshot().offsetMs === null) {
            this.clock.observe({ sentAt: this.clock.device(), receivedAt: this.clock.device(), serverTime: m.server_time });
          }
          // Anything may have changed while the stream was down.
          this.pullNow();
          this.pushLoop.wake();
        },
        admission: (m) => {
          const { catalog, scans, device, db } = this.store;
          const mine = device.get()?.device_id;
          const requeued = db
            .transaction(() => {
              catalog.learnAdmission(m.event_id, m.seat_id, Date.parse(m.scanned_at), { name: m.admitted_by, deviceId: m.device_id });
              return recheckLostAdmission(scans, m.seat_id, { deviceId: m.device_id }, mine ?? null);
            })
            .immediate();
          this.emit('admission', m.seat_id);
          if (requeued) this.pushLoop.wake();
        },
        seats: (m) => {
          // A new event needs the manifest (name, keys) before its seats.
          if (!this.store.catalog.event(m.event_id)) return this.pullNow();
          this.store.catalog.noteServerSeq(m.event_id, m.seq);
          if (m.seq > this.store.syncState.cursor(m.event_id)) {
            this.dirty.add(m.event_id);
            this.pullLoop.wake();
          }
        },
        // A rotated key: the new manifest carries it, so codes made with it verify here too.
        manifest: () => this.pullNow(),
        revoked: (m) => {
          const device = this.store.device.get();
          if (device?.device_id === m.device_id) this.revoke('the server revoked this device (live stream)');
        },
        problem: (message) => this.emit('problem', message),
      },
      signal,
      this.timing.streamIdleMs,
      () => this.trust.required(),
    );
    if (!greeted && !signal.aborted) throw new Error('live stream closed before its hello');
    // A stream that worked and ended (server restart) is reopened promptly; the loop backs off if that fails.
    return 250;
  }

  private failed(what: string, err: unknown, retryInMs: number): void {
    if (err instanceof ServerError && err.code === 'UNAUTHORIZED') this.unknownAt = this.clock.device();
    if (err instanceof ServerError && err.code === 'DEVICE_REVOKED') {
      this.revoke(`the server refused ${what}: DEVICE_REVOKED`);
      return;
    }
    const message = err instanceof Error ? err.message : String(err);
    if (err instanceof IntegrityError) {
      this.integrity.refused(message);
      this.emit(
        'problem',
        `sync refused: integrity — ${what}: ${message} (retry in ${(retryInMs / 1000).toFixed(1)} s; deciding on the last good snapshot)`,
      );
      return;
    }
    this.emit('problem', `${what} failed (retry in ${(retryInMs / 1000).toFixed(1)} s): ${message}`);
  }

  private revoke(note: string): void {
    if (!this.revoked()) {
      this.store.device.markRevoked(this.clock.device(), note);
      this.emit('revoked', note);
    }
    void this.stop();
  }
}

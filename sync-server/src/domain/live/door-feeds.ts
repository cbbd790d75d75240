import type { opsLive } from '@ticketgate/protocol';
import type { Pool } from '../../db/pool.js';
import { doorSnapshot } from '../sync/door-snapshot.js';
import type { LiveBus, LiveObserver } from './live-bus.js';
import type { LiveNotice } from './notices.js';

/** One operator's open live door stream. */
export interface DoorSink {
  /** The session the stream was opened for: it closes when that session ends. */
  sessionId: string;
  snapshot(s: opsLive.LiveSnapshot): void;
  closed(reason: opsLive.LiveClosed['reason']): void;
}

export interface DoorFeedsOptions {
  /** How often figures without a notice of their own (refused scans, rejected uploads, conflicts, the minute rolling over) are re-read. */
  pollMs?: number;
  /** Admissions arriving together (a gate's upload) are announced as one snapshot after this pause. */
  debounceMs?: number;
  log?: (msg: string, err?: unknown) => void;
}

interface Watch {
  eventId: string;
  sinks: Set<DoorSink>;
  /** The last snapshot sent, without its server_time: a re-read that changed nothing sends nothing. */
  last: string | undefined;
  lastSnapshot: opsLive.LiveSnapshot | undefined;
  poll: NodeJS.Timeout;
  pending: NodeJS.Timeout | undefined;
  reading: Promise<void> | undefined;
  again: boolean;
}

/**
 * The live door streams of one server instance, one shared watch per event:
 * its figures are read once per change for every operator watching it. An
 * admission (LISTEN/NOTIFY through the LiveBus, from any instance) re-reads at
 * once; everything else is re-read every `pollMs`. A stream whose session ends
 * (logout, role change, disabled account: the session notice) is closed.
 */
export class DoorFeeds {
  private readonly watches = new Map<string, Watch>();
  private unobserve: (() => void) | undefined;
  private readonly pollMs: number;
  private readonly debounceMs: number;
  private readonly log: (msg: string, err?: unknown) => void;

  constructor(
    private readonly pool: Pool,
    private readonly live: LiveBus,
    private readonly now: () => number,
    opts: DoorFeedsOptions = {},
  ) {
    this.pollMs = opts.pollMs ?? 2000;
    this.debounceMs = opts.debounceMs ?? 100;
    this.log = opts.log ?? (() => {});
  }

  get streamCount(): number {
    let n = 0;
    for (const w of this.watches.values()) n += w.sinks.size;
    return n;
  }

  /** Starts a stream: the current snapshot at once, then every change. Returns the function that ends it. */
  async open(eventId: string, sink: DoorSink): Promise<() => void> {
    this.unobserve ??= this.live.observe(this.observer);
    let w = this.watches.get(eventId);
    if (!w) {
      w = {
        eventId,
        sinks: new Set(),
        last: undefined,
        lastSnapshot: undefined,
        poll: setInterval(() => this.refresh(eventId), this.pollMs).unref(),
        pending: undefined,
        reading: undefined,
        again: false,
      };
      this.watches.set(eventId, w);
    }
    const watch = w;
    watch.sinks.add(sink);
    const stop = () => this.remove(watch, sink);
    try {
      if (watch.lastSnapshot && !watch.reading) sink.snapshot(watch.lastSnapshot);
      else await this.read(watch, sink);
    } catch (err) {
      stop();
      throw err;
    }
    return stop;
  }

  /** Ends every stream (server shutdown). */
  close(): void {
    for (const w of [...this.watches.values()]) for (const s of [...w.sinks]) this.end(w, s, 'server_stopping');
  }

  private readonly observer: LiveObserver = {
    notice: (n: LiveNotice) => {
      if (n.k === 'admission') {
        const w = this.watches.get(n.event_id);
        if (w) this.schedule(w);
      } else if (n.k === 'session') {
        for (const w of [...this.watches.values()])
          for (const s of [...w.sinks]) if (s.sessionId === n.session_id) this.end(w, s, 'session_ended');
      }
    },
    // Notices may have been missed: read every watched event again.
    resync: () => {
      for (const w of this.watches.values()) this.schedule(w);
    },
  };

  private schedule(w: Watch): void {
    if (w.pending) return;
    w.pending = setTimeout(() => {
      w.pending = undefined;
      this.refresh(w.eventId);
    }, this.debounceMs).unref();
  }

  private refresh(eventId: string): void {
    const w = this.watches.get(eventId);
    if (w) this.read(w).catch((err) => this.log(`live doors: reading event ${eventId} failed`, err));
  }

  /** Reads the figures and sends them if they changed (and always to `first`, a stream that just opened). Reads of one event never overlap. */
  private async read(w: Watch, first?: DoorSink): Promise<void> {
    if (w.reading) {
      w.again = true;
      await w.reading;
      if (first && w.lastSnapshot && w.sinks.has(first)) first.snapshot(w.lastSnapshot);
      return;
    }
    w.reading = (async () => {
      do {
        w.again = false;
        const s = await doorSnapshot(this.pool, w.eventId, this.now());
        const key = JSON.stringify({ ...s, server_time: '' });
        const changed = key !== w.last;
        w.last = key;
        w.lastSnapshot = s;
        for (const sink of [...w.sinks]) if (changed || sink === first) sink.snapshot(s);
      } while (w.again);
    })().finally(() => {
      w.reading = undefined;
    });
    await w.reading;
  }

  private end(w: Watch, sink: DoorSink, reason: opsLive.LiveClosed['reason']): void {
    sink.closed(reason);
    this.remove(w, sink);
  }

  private remove(w: Watch, sink: DoorSink): void {
    w.sinks.delete(sink);
    if (w.sinks.size > 0 || this.watches.get(w.eventId) !== w) return;
    clearInterval(w.poll);
    clearTimeout(w.pending);
    this.watches.delete(w.eventId);
    if (this.watches.size === 0) {
      this.unobserve?.();
      this.unobserve = undefined;
    }
  }
}

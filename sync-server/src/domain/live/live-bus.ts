import pg from 'pg';
import { LIVE_CHANNEL, parseNotice, type GateNotice, type LiveNotice, type SeatsNotice } from './notices.js';

export const LIVE_APPLICATION_NAME = 'ticketgate-live';

/** One live-stream client of this instance (an SSE connection of a gate). */
export interface LiveSubscriber {
  hallId: string;
  deviceId: string;
  /** Seat and admission notices of the hall's events, and this device's revocation. */
  deliver(notice: GateNotice): void;
  /** The LISTEN connection was lost and is back: notices in between are gone, catch up. */
  resync(): void;
  /** The bus is stopping (server shutdown). */
  close(): void;
}

/** An instance-wide cache kept true by notices (the session check): sees every notice of its kinds. */
export interface LiveObserver {
  notice(n: LiveNotice): void;
  /** The LISTEN connection was lost: notices may have been missed, drop everything cached. */
  resync(): void;
}

export interface LiveBusOptions {
  /** Seat notices of one event within this window are merged into one (the highest seq). */
  coalesceMs?: number;
  /** How often the LISTEN connection is checked, so a silently dead one is replaced. */
  pingMs?: number;
  log?: (msg: string, err?: unknown) => void;
}

/**
 * The notification bus of one server instance: a dedicated PostgreSQL
 * connection LISTENing on the live channel, fanned out in memory to this
 * instance's subscribers. Writers never talk to the bus: their triggers NOTIFY
 * inside their transactions, so every instance hears every committed change and
 * nothing that rolled back.
 */
export class LiveBus {
  private client: pg.Client | undefined;
  private state: 'idle' | 'listening' | 'reconnecting' | 'stopped' = 'idle';
  private readonly subscribers = new Set<LiveSubscriber>();
  private readonly observers = new Set<LiveObserver>();
  private readonly pendingSeats = new Map<string, SeatsNotice>();
  private flushTimer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private pingTimer: NodeJS.Timeout | undefined;
  private retryDelayMs = 250;
  private readonly coalesceMs: number;
  private readonly pingMs: number;
  private log: (msg: string, err?: unknown) => void;

  constructor(
    private readonly databaseUrl: string,
    opts: LiveBusOptions = {},
  ) {
    this.coalesceMs = opts.coalesceMs ?? 100;
    this.pingMs = opts.pingMs ?? 30_000;
    this.log = opts.log ?? (() => {});
  }

  /** True while notices are being received; streams opened otherwise would silently miss them. */
  get listening(): boolean {
    return this.state === 'listening';
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  /** Connects and LISTENs; fails if the first connection fails. Later losses reconnect by themselves. */
  async start(log?: (msg: string, err?: unknown) => void): Promise<void> {
    if (log) this.log = log;
    if (this.state !== 'idle') return;
    await this.connect();
    this.pingTimer = setInterval(() => void this.ping(), this.pingMs).unref();
  }

  async stop(): Promise<void> {
    if (this.state === 'stopped') return;
    this.state = 'stopped';
    clearTimeout(this.retryTimer);
    clearTimeout(this.flushTimer);
    clearInterval(this.pingTimer);
    this.pendingSeats.clear();
    for (const s of [...this.subscribers]) s.close();
    this.subscribers.clear();
    const client = this.client;
    this.client = undefined;
    await client?.end().catch((err) => this.log('live bus: closing the LISTEN connection failed', err));
  }

  subscribe(s: LiveSubscriber): () => void {
    this.subscribers.add(s);
    return () => void this.subscribers.delete(s);
  }

  /** Caches of this instance that must hear of changes made by any instance. */
  observe(o: LiveObserver): () => void {
    this.observers.add(o);
    return () => void this.observers.delete(o);
  }

  private async connect(): Promise<void> {
    // Named, so operators (and tests) can tell the listener apart in pg_stat_activity.
    const client = new pg.Client({ connectionString: this.databaseUrl, keepAlive: true, application_name: LIVE_APPLICATION_NAME });
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client));
    client.on('notification', (msg) => {
      if (msg.channel === LIVE_CHANNEL) this.route(parseNotice(msg.payload));
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${LIVE_CHANNEL}`);
    } catch (err) {
      await client.end().catch((err) => this.log('live bus: closing a failed connection failed', err));
      throw err;
    }
    if (this.state === 'stopped') {
      await client.end().catch((err) => this.log('live bus: closing a failed connection failed', err));
      return;
    }
    const wasDown = this.state === 'reconnecting';
    this.client = client;
    this.state = 'listening';
    this.retryDelayMs = 250;
    if (wasDown) {
      for (const o of [...this.observers]) o.resync();
      for (const s of [...this.subscribers]) s.resync();
    }
  }

  private lost(client: pg.Client, err?: unknown): void {
    if (client !== this.client || this.state === 'stopped') return;
    this.log('live bus: LISTEN connection lost, reconnecting', err);
    this.client = undefined;
    this.state = 'reconnecting';
    for (const o of [...this.observers]) o.resync();
    client.end().catch((e) => this.log('live bus: closing the lost connection failed', e));
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.connect().catch((err) => {
        this.log('live bus: reconnect failed', err);
        this.retryDelayMs = Math.min(this.retryDelayMs * 2, 5000);
        if (this.state === 'reconnecting') this.scheduleReconnect();
      });
    }, this.retryDelayMs).unref();
  }

  private async ping(): Promise<void> {
    const client = this.client;
    if (!client || this.state !== 'listening') return;
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('live bus ping timed out')), 5000).unref());
    try {
      await Promise.race([client.query('SELECT 1'), timeout]);
    } catch (err) {
      this.lost(client, err);
    }
  }

  private route(notice: LiveNotice | undefined): void {
    if (!notice) return;
    if (notice.k === 'session') {
      for (const o of [...this.observers]) o.notice(notice);
      return;
    }
    if (notice.k === 'seats') {
      const pending = this.pendingSeats.get(notice.event_id);
      if (!pending || pending.seq < notice.seq) this.pendingSeats.set(notice.event_id, notice);
      this.flushTimer ??= setTimeout(() => this.flushSeats(), this.coalesceMs).unref();
      return;
    }
    for (const s of [...this.subscribers]) {
      const wanted = notice.k === 'revoked' ? s.deviceId === notice.device_id : s.hallId === notice.hall;
      if (wanted) s.deliver(notice);
    }
  }

  private flushSeats(): void {
    this.flushTimer = undefined;
    const notices = [...this.pendingSeats.values()];
    this.pendingSeats.clear();
    for (const s of [...this.subscribers]) {
      for (const n of notices) if (n.hall === s.hallId) s.deliver(n);
    }
  }
}

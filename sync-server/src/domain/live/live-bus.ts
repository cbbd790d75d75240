import pg from 'pg';
import { LIVE_CHANNEL, parseNotice, type GateNotice, type LiveNotice, type SeatsNotice } from './notices.js';

export const LIVE_APPLICATION_NAME = 'ticketgate-live';

/** One live-stream client of this instance (an SSE connection of a gate). */
export interface LiveSubscriber {
  hallId: string;
  deviceId: string;
  /** Seat and admission notices of the hall's events, key rotations that concern it, and this device's revocation. */
  deliver(notice: GateNotice): void;
  /** The LISTEN connection was lost and is back: notices in between are gone, catch up. */
  resync(): void;
  /** The bus is stopping (server shutdown). */
  close(): void;
}

/**
 * An instance-wide listener (the session check, the key store, the operators'
 * live door streams): sees every session, keys and admission notice.
 */
export interface LiveObserver {
  notice(n: LiveNotice): void;
  /** The LISTEN connection was lost: notices may have been missed, drop everything cached. */
  resync(): void;
}

export interface LiveBusOptions {
  /** How often seat changes are polled; the changes of one event within a poll are announced once (the highest seq). */
  pollMs?: number;
  /** How often the LISTEN connection is checked, so a silently dead one is replaced. */
  pingMs?: number;
  log?: (msg: string, err?: unknown) => void;
}

/**
 * The notification bus of one server instance: a dedicated PostgreSQL
 * connection, fanned out in memory to this instance's subscribers. Admissions
 * and revocations arrive by LISTEN (their writers NOTIFY inside their
 * transactions); seat changes are polled below the change cursor on the same
 * connection. Either way every instance hears every committed change and
 * nothing that rolled back.
 */
export class LiveBus {
  private client: pg.Client | undefined;
  private state: 'idle' | 'listening' | 'reconnecting' | 'stopped' = 'idle';
  private readonly subscribers = new Set<LiveSubscriber>();
  private readonly observers = new Set<LiveObserver>();
  /** Seat changes at or below this cursor have been announced; undefined until the first poll. */
  private seatsCursor: number | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private pingTimer: NodeJS.Timeout | undefined;
  private retryDelayMs = 250;
  private readonly pollMs: number;
  private readonly pingMs: number;
  private log: (msg: string, err?: unknown) => void;

  constructor(
    private readonly databaseUrl: string,
    opts: LiveBusOptions = {},
  ) {
    this.pollMs = opts.pollMs ?? 100;
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
    await this.pollSeats(); // takes the starting cursor: streams opened from now on miss nothing
    this.schedulePoll();
    this.pingTimer = setInterval(() => void this.ping(), this.pingMs).unref();
  }

  async stop(): Promise<void> {
    if (this.state === 'stopped') return;
    this.state = 'stopped';
    clearTimeout(this.retryTimer);
    clearTimeout(this.pollTimer);
    clearInterval(this.pingTimer);
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
    if (notice.k !== 'seats' && notice.k !== 'revoked') {
      for (const o of [...this.observers]) o.notice(notice);
      if (notice.k === 'session') return;
    }
    for (const s of [...this.subscribers]) if (concerns(s, notice)) s.deliver(notice);
  }

  private schedulePoll(): void {
    clearTimeout(this.pollTimer);
    this.pollTimer = setTimeout(() => {
      void this.pollSeats().finally(() => {
        if (this.state !== 'stopped') this.schedulePoll();
      });
    }, this.pollMs).unref();
  }

  /**
   * Announces the events whose seats changed since the last poll, up to the
   * change cursor: a gate told about a change can pull it at once (a delta
   * stops at the cursor). Polled rather than NOTIFYed from the writers, because
   * NOTIFY makes every committing writer queue on one cluster-wide lock
   * (migration seat_notices_by_polling). It polls with or without subscribers: a stream that
   * subscribes is told the current seqs once, and every change above the cursor
   * the bus had reached by then is announced by a later poll, so nothing falls in
   * between.
   */
  private async pollSeats(): Promise<void> {
    const client = this.client;
    if (!client || this.state !== 'listening') return;
    let rows: { cursor: string; event_id: string | null; hall_id: string | null; seq: string | null }[];
    try {
      ({ rows } = await client.query(SEAT_CHANGES_SQL, [this.seatsCursor ?? null]));
    } catch (err) {
      return this.lost(client, err);
    }
    if (this.client !== client || !rows[0]) return; // stopped or reconnected meanwhile
    this.seatsCursor = Number(rows[0].cursor);
    const notices: SeatsNotice[] = rows
      .filter((r) => r.event_id !== null)
      .map((r) => ({ k: 'seats', hall: r.hall_id!, event_id: r.event_id!, seq: Number(r.seq) }));
    for (const s of [...this.subscribers]) {
      for (const n of notices) if (n.hall === s.hallId) s.deliver(n);
    }
  }
}

/** The change cursor now, and each event with seat changes in (previous cursor, cursor]: none on the first poll. */
const SEAT_CHANGES_SQL = `
  WITH c AS (SELECT change_cursor() AS cursor)
  SELECT c.cursor::text AS cursor, x.event_id, x.hall_id, x.seq::text AS seq
    FROM c LEFT JOIN LATERAL (
      SELECT s.event_id, e.hall_id, max(s.seq) AS seq
        FROM seats s JOIN events e ON e.id = s.event_id
       WHERE $1::bigint IS NOT NULL AND s.seq > $1::bigint AND s.seq <= c.cursor
       GROUP BY s.event_id, e.hall_id
    ) x ON true`;

/** Whether a (non-seat) notice is for this gate: its own revocation, or news of its hall (a key rotation of every hall included). */
function concerns(s: LiveSubscriber, notice: GateNotice): boolean {
  if (notice.k === 'revoked') return s.deviceId === notice.device_id;
  if (notice.k === 'keys') return notice.hall === null || s.hallId === notice.hall;
  return s.hallId === notice.hall;
}

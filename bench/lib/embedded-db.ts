import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate, startEmbeddedPostgres } from '@ticketgate/sync-server';

export interface BenchDatabase {
  url: string;
  stop(): Promise<void>;
}

/** A throwaway, migrated embedded PostgreSQL in a temp folder (removed by stop()). */
export async function startBenchDatabase(name: string): Promise<BenchDatabase> {
  const dir = mkdtempSync(join(tmpdir(), `tg-bench-${name}-`));
  chmodSync(dir, 0o755); // as root, PostgreSQL runs as the `postgres` user and must reach the folder
  const port = 56000 + Math.floor(Math.random() * 4000);
  console.log(`starting embedded PostgreSQL in ${dir} (port ${port}) …`);
  const pg = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), port });
  const stop = async () => {
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await migrate(pg.url());
  } catch (err) {
    await stop();
    throw err;
  }
  return { url: pg.url(), stop };
}

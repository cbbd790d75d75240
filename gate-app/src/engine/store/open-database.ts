// process: engine
import Database from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { SCHEMA_V1, SCHEMA_V2, SCHEMA_V3, SCHEMA_V4, SCHEMA_V5, SCHEMA_V6, SCHEMA_V7, SCHEMA_V8, SCHEMA_VERSION } from './schema.js';

export type Db = Database.Database;

export const DATABASE_FILE = 'gate.sqlite';

/**
 * Opens (creating if needed) the gate database in `dataDir`.
 *
 * - The file holds the device token and the box private key: it is created 0600
 *   inside a 0700 folder before SQLite touches it, and SQLite gives its -wal/-shm
 *   files the mode of the main file.
 * - WAL, synchronous=FULL: every commit is on disk when it returns, so a verdict
 *   is never shown for a scan a power cut could lose. Bulk work (snapshots) is
 *   one transaction, hence one sync, so FULL costs nothing there.
 */
export function openGateDatabase(dataDir: string): Db {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  chmodSync(dataDir, 0o700);
  const file = join(dataDir, DATABASE_FILE);
  if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600));
  chmodSync(file, 0o600);
  for (const side of ['-wal', '-shm']) if (existsSync(file + side)) chmodSync(file + side, 0o600);

  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  // A 100,000-seat snapshot and its indexes fit in memory: lookups at the gate never wait on page reads.
  db.pragma('cache_size = -65536');
  // Another connection on the same file (a second engine, a diagnostic tool) waits instead of failing.
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}

function migrate(db: Db): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    throw new Error(`gate database has schema ${version}, newer than this app (${SCHEMA_VERSION}): update the app`);
  }
  if (version === SCHEMA_VERSION) return;
  db.transaction(() => {
    if (version < 1) db.exec(SCHEMA_V1);
    if (version < 2) db.exec(SCHEMA_V2);
    if (version < 3) db.exec(SCHEMA_V3);
    if (version < 4) db.exec(SCHEMA_V4);
    if (version < 5) db.exec(SCHEMA_V5);
    if (version < 6) db.exec(SCHEMA_V6);
    if (version < 7) db.exec(SCHEMA_V7);
    if (version < 8) db.exec(SCHEMA_V8);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}

import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD_FILE, clearStaleLock, embeddedPassword, isOurPostgres, startEmbeddedPostgres } from '../src/db/embedded.js';

// Finding: the embedded database had a fixed password, and a lock file left by a reboot could name another program.

describe('embedded PostgreSQL: its own password, and stale locks cleared without signalling strangers', () => {
  let dir: string;
  let dataDir: string;
  const port = 53000 + Math.floor(Math.random() * 2000);
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tg-embedded-sec-'));
    chmodSync(dir, 0o755);
    dataDir = join(dir, 'pg');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a new cluster gets a random password, kept in its data folder readable by its owner only; the old fixed one fails', async () => {
    const db = await startEmbeddedPostgres({ dataDir, port });
    try {
      const password = embeddedPassword(dataDir)!;
      expect(password).toMatch(/^[\w-]{32}$/);
      expect(statSync(join(dataDir, PASSWORD_FILE)).mode & 0o777).toBe(0o600);
      expect(db.url()).toContain(encodeURIComponent(password));
      const c = new pg.Client({ connectionString: db.url() });
      await c.connect();
      await c.end();
      const legacy = new pg.Client({ connectionString: `postgres://ticketgate:ticketgate-embedded@127.0.0.1:${port}/ticketgate` });
      await expect(legacy.connect()).rejects.toThrow(/password authentication failed/);
    } finally {
      await db.stop();
    }
  });

  it('a lock naming a live process that is not our postgres (after a reboot) is removed, and that process is never signalled', async () => {
    const stranger = spawn('sleep', ['60'], { stdio: 'ignore' });
    try {
      const pid = stranger.pid!;
      expect(isOurPostgres(pid, dataDir)).toBe(false);
      expect(isOurPostgres(process.pid, dataDir)).toBe(false);
      writeFileSync(join(dataDir, 'postmaster.pid'), `${pid}\n${dataDir}\n${Math.floor(Date.now() / 1000)}\n${port}\n`);
      const db = await startEmbeddedPostgres({ dataDir, port });
      try {
        expect(() => process.kill(pid, 0)).not.toThrow(); // untouched
        expect(stranger.exitCode).toBeNull();
        expect(stranger.signalCode).toBeNull();
        // The running server's own lock is recognised as ours.
        const own = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
        expect(isOurPostgres(own, dataDir)).toBe(true);
        expect(isOurPostgres(own, join(dir, 'elsewhere'))).toBe(false);
      } finally {
        await db.stop();
      }
    } finally {
      stranger.kill('SIGKILL');
    }
  });

  it('a lock naming a process that no longer exists is removed', async () => {
    writeFileSync(join(dataDir, 'postmaster.pid'), `2147483\n${dataDir}\n`);
    expect(await clearStaleLock(dataDir)).toBe('removed-stale');
    expect(await clearStaleLock(dataDir)).toBe('none');
  });
});

import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// What `npm start` and the container run: the esbuild output under plain node (no tsx),
// started from another folder, so the migrations, the password worker and the default
// data folder (./data/pg, relative to the working directory) must all be found from it.
const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
// Inside the repository so node_modules resolves; never sync-server/dist, which a running server may use.
const dist = join(ROOT, 'node_modules/.cache/ticketgate', `server-${process.pid}`);
const cwd = mkdtempSync(join(tmpdir(), 'tg-compiled-'));
chmodSync(cwd, 0o755); // as root, PostgreSQL runs as user "postgres" and must enter the folder

async function freePort(): Promise<number> {
  const s = createServer().listen(0, '127.0.0.1');
  await once(s, 'listening');
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

interface Started {
  child: ChildProcess;
  url: string;
  output(): string;
}

async function start(port: number, pgPort: number): Promise<Started> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'development',
    HOST: '127.0.0.1',
    PORT: String(port),
    PG_PORT: String(pgPort),
    LOG_LEVEL: 'warn',
    PASSWORD_HASH_OPS: '1',
    PASSWORD_HASH_MEM_MIB: '8',
  };
  const child = spawn(process.execPath, [join(dist, 'main.js')], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${out}`);
    const ok = await fetch(`${url}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { child, url, output: () => out };
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function stop(s: Started, signal: NodeJS.Signals): Promise<number | null> {
  s.child.kill(signal);
  const [code] = (await once(s.child, 'exit')) as [number | null];
  return code;
}

describe('the compiled server (sync-server/build.mjs)', () => {
  let port: number;
  let pgPort: number;
  beforeAll(async () => {
    execFileSync(process.execPath, [join(ROOT, 'sync-server/build.mjs'), '--outdir', dist, '--quiet'], { stdio: 'inherit' });
    port = await freePort();
    pgPort = await freePort();
  });
  afterAll(() => {
    rmSync(dist, { recursive: true, force: true });
    rmSync(cwd, { recursive: true, force: true });
  });

  it('emits JavaScript only, with its migrations and password worker beside it', () => {
    const files = readdirSync(dist);
    expect(files).toEqual(
      expect.arrayContaining(['main.js', 'seed.js', 'migrate.js', 'stripe-standin.js', 'password-worker.js', 'migrations']),
    );
    expect(files.filter((f) => f.endsWith('.ts'))).toEqual([]);
    expect(readdirSync(join(dist, 'migrations'))).toEqual(readdirSync(join(ROOT, 'sync-server/src/db/migrations')));
  });

  it('runs under plain node from another folder: ./data/pg there, a login through the worker, exit 0 on SIGINT and SIGTERM', async () => {
    const first = await start(port, pgPort);
    expect(existsSync(join(cwd, 'data/pg/PG_VERSION'))).toBe(true);
    const login = await fetch(`${first.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'fan@demo.ticketgate.test', password: 'demo-pass-123' }),
    });
    expect(login.status).toBe(200);
    expect(first.output()).toContain('Demo data created.');
    expect(await stop(first, 'SIGINT')).toBe(0);
    // The embedded PostgreSQL was stopped with it, so the folder can be opened again.
    expect(existsSync(join(cwd, 'data/pg/postmaster.pid'))).toBe(false);

    const second = await start(port, pgPort);
    expect(second.output()).toContain('Demo data already present');
    expect(await stop(second, 'SIGTERM')).toBe(0);
  }, 180_000);
});

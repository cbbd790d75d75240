import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import pg from 'pg';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { build } from '../src/app.js';
import { ConfigError, loadConfig } from '../src/config.js';
import { createContext } from '../src/server.js';
import { migrate } from '../src/db/migrate.js';
import { DEMO_ACCOUNTS, seedDemo } from '../src/db/seed.js';
import { createTestDatabase } from './helpers/db.js';
import { TEST_ENV, createTestApp, type TestApp } from './helpers/app.js';

function testRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post('/api/_test/echo', { schema: { body: z.object({ email: z.email(), count: z.number().int().min(1) }) } }, async (req) => ({
    success: true,
    data: req.body,
  }));
  r.get('/api/_test/items/:id', { schema: { params: z.object({ id: z.uuid() }) } }, async (req) => ({ success: true, data: req.params }));
  r.get('/api/_test/boom', async () => {
    throw new Error('secret internal detail at /srv/app.ts:42');
  });
}

describe('foundation', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ routes: testRoutes });
  });
  afterAll(async () => t.close());

  it('GET /health answers 200 with the database connected', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ status: 'healthy', checks: { database: 'connected' } });
    expect(new Date(body.timestamp).toISOString()).toBe(body.timestamp);
  });

  it('GET /health answers 503 when the database is down', async () => {
    const config = loadConfig({ ...TEST_ENV, DATABASE_URL: 'postgres://nobody:x@127.0.0.1:1/none' });
    const ctx = createContext(config, config.DATABASE_URL!);
    const app = await build(ctx, { logger: false });
    const res = await app.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ status: 'unhealthy', checks: { database: 'disconnected' } });
    await app.close();
    await ctx.pool.end();
  });

  it('names every failing field in VALIDATION_ERROR', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/_test/echo', payload: { email: 'nope', count: 0 } });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.success).toBe(false);
    expect(body.error_code).toBe('VALIDATION_ERROR');
    expect(body.details.map((d: { field: string }) => d.field).sort()).toEqual(['body.count', 'body.email']);
  });

  it('answers malformed JSON with VALIDATION_ERROR, not a 500', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/_test/echo',
      headers: { 'content-type': 'application/json' },
      payload: '{"email":',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error_code).toBe('VALIDATION_ERROR');
  });

  it('answers a malformed UUID path parameter with INVALID_UUID', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/_test/items/not-a-uuid' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error_code).toBe('INVALID_UUID');
  });

  it('hides unknown errors behind INTERNAL_ERROR with a correlation id', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/_test/boom', headers: { 'x-request-id': 'corr-12345678' } });
    expect(res.statusCode).toBe(500);
    const body = res.json();
    expect(body).toEqual({
      success: false,
      error_code: 'INTERNAL_ERROR',
      message: 'Unexpected server error.',
      correlation_id: 'corr-12345678',
    });
    expect(res.body).not.toContain('secret');
    expect(res.headers['x-request-id']).toBe('corr-12345678');
  });

  it('answers unknown routes with the envelope', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ success: false, error_code: 'NOT_FOUND' });
  });

  it('serves OpenAPI 3 generated from the schemas and Swagger UI at /docs', async () => {
    const spec = (await t.app.inject({ method: 'GET', url: '/docs/json' })).json();
    expect(spec.openapi).toMatch(/^3\./);
    expect(Object.keys(spec.paths)).toContain('/health');
    const ui = await t.app.inject({ method: 'GET', url: '/docs' });
    expect([200, 302]).toContain(ui.statusCode);
  });
});

describe('configuration', () => {
  it('stops with one line naming the bad variable', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrowError(ConfigError);
    try {
      loadConfig({ PORT: 'abc' });
    } catch (err) {
      expect((err as ConfigError).variable).toBe('PORT');
      expect((err as Error).message.split('\n')).toHaveLength(1);
    }
  });
  it('requires secrets in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://x@h/db' })).toThrow(/JWT_SECRET/);
  });
  it('defaults to port 8000 and demo mode on the embedded database', () => {
    const c = loadConfig({});
    expect(c.PORT).toBe(8000);
    expect(c.DEMO).toBe(true);
    expect(c.PG_DATA_DIR).toBe('./data/pg');
  });
});

describe('migrations and demo seed', () => {
  it('migrate from empty creates the model; a second run applies nothing', async () => {
    const db = await createTestDatabase();
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    await c.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
    await c.end();
    const first = await migrate(db.url);
    expect(first.length).toBeGreaterThan(0);
    expect(await migrate(db.url)).toEqual([]);
    await db.drop();
  });

  it('the database forbids invalid states', async () => {
    const t = await createTestApp({ seed: true });
    const q = (sql: string, p: unknown[] = []) => t.ctx.pool.query(sql, p);
    const seat = (await q(`SELECT id FROM seats WHERE status = 'AVAILABLE' LIMIT 1`)).rows[0].id;
    await expect(q(`UPDATE seats SET status = 'SOLD' WHERE id = $1`, [seat])).rejects.toThrow(/seats_state_fields/);
    await expect(q(`UPDATE users SET balance_cents = -1 WHERE email = 'fan@demo.ticketgate.test'`)).rejects.toThrow(/check/);
    const before = (await q(`SELECT seq FROM seats WHERE id = $1`, [seat])).rows[0].seq;
    const fan = (await q(`SELECT id FROM users WHERE email = 'fan@demo.ticketgate.test'`)).rows[0].id;
    await q(`UPDATE seats SET status = 'HELD', held_by = $2, held_until = now() + interval '5 minutes' WHERE id = $1`, [seat, fan]);
    const after = (
      await q(`SELECT s.seq, (SELECT max(seq) FROM seats WHERE event_id = s.event_id) AS latest FROM seats s WHERE s.id = $1`, [seat])
    ).rows[0];
    expect(after.seq).toBeGreaterThan(before);
    expect(after.latest).toBe(after.seq);
    await t.close();
  });

  it('seeds the demo once and never duplicates it', async () => {
    const t = await createTestApp();
    const first = await seedDemo(t.ctx);
    const second = await seedDemo(t.ctx);
    expect(first.created).toBe(true);
    expect(second.created).toBe(false);
    const counts = (
      await t.ctx.pool.query(`SELECT (SELECT count(*) FROM users)::int AS users, (SELECT count(*) FROM events)::int AS events,
        (SELECT count(*) FROM halls)::int AS halls, (SELECT count(*) FROM venues)::int AS venues`)
    ).rows[0];
    expect(counts).toEqual({ users: DEMO_ACCOUNTS.length, events: 3, halls: 2, venues: 2 });
    const big = (
      await t.ctx.pool.query(`SELECT count(*)::int AS n, array_agg(DISTINCT c.price_cents ORDER BY c.price_cents) AS prices
        FROM seats s JOIN events e ON e.id = s.event_id JOIN event_categories c ON c.event_id = e.id AND c.category = s.category
        WHERE e.hall_id = 'HALL-A' AND e.event_date > now()`)
    ).rows[0];
    expect(big).toEqual({ n: 5000, prices: [12000, 20000, 35000] });
    const balances = (await t.ctx.pool.query(`SELECT email, balance_cents, is_flagged FROM users ORDER BY email`)).rows;
    expect(balances.find((u) => u.email.startsWith('fan@'))!.balance_cents).toBe(100000);
    expect(balances.find((u) => u.email.startsWith('flagged@'))).toMatchObject({ balance_cents: 50000, is_flagged: true });
    await t.close();
  });
});

describe('seat change positions', () => {
  it('gives every seat change of one transaction the same position, and a later transaction a higher one, without touching the event row', async () => {
    const t = await createTestApp({ seed: true });
    const q = (sql: string, p: unknown[] = []) => t.ctx.pool.query(sql, p);
    const ev = (await q(`SELECT id, xmin::text AS version FROM events WHERE hall_id = 'HALL-A' AND event_date > now()`)).rows[0];
    const fan = (await q(`SELECT id FROM users WHERE email = 'fan@demo.ticketgate.test'`)).rows[0].id;
    const before = (await q(`SELECT max(seq) AS seq FROM seats WHERE event_id = $1`, [ev.id])).rows[0].seq;
    // A bulk change of all 5,000 seats in one statement: one position.
    await q(`UPDATE seats SET status = 'HELD', held_by = $2, held_until = now() + interval '5 minutes' WHERE event_id = $1`, [ev.id, fan]);
    const after = (await q(`SELECT array_agg(DISTINCT seq) AS seqs FROM seats WHERE event_id = $1`, [ev.id])).rows[0];
    expect(after.seqs).toHaveLength(1);
    expect(after.seqs[0]).toBeGreaterThan(before);
    await q(
      `UPDATE seats SET status = 'AVAILABLE', held_by = NULL, held_until = NULL WHERE id = (SELECT id FROM seats WHERE event_id = $1 LIMIT 1)`,
      [ev.id],
    );
    expect((await q(`SELECT max(seq) AS seq FROM seats WHERE event_id = $1`, [ev.id])).rows[0].seq).toBeGreaterThan(after.seqs[0]);
    // No hot row: the event row was never rewritten (its row version is the same).
    expect((await q(`SELECT xmin::text AS version FROM events WHERE id = $1`, [ev.id])).rows[0].version).toBe(ev.version);
    await t.close();
  });
});

describe('startServer', () => {
  it('uses the PostgreSQL named by DATABASE_URL and starts no embedded one', async () => {
    const { startServer } = await import('../src/server.js');
    const { existsSync, mkdtempSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const db = await createTestDatabase();
    const unusedDataDir = join(mkdtempSync(join(tmpdir(), 'tg-unused-')), 'pg');
    const config = loadConfig({
      ...TEST_ENV,
      DATABASE_URL: db.url,
      PG_DATA_DIR: unusedDataDir,
      PORT: '0',
      HOST: '127.0.0.1',
      DEMO: 'true',
    });
    const server = await startServer(config);
    try {
      const health = await fetch(`${server.url}/health`);
      expect(health.status).toBe(200);
      expect(server.databaseUrl).toBe(db.url);
      expect(existsSync(unusedDataDir)).toBe(false);
      // Demo data went into that database.
      const c = new pg.Client({ connectionString: db.url });
      await c.connect();
      expect((await c.query(`SELECT count(*)::int AS n FROM users`)).rows[0].n).toBe(DEMO_ACCOUNTS.length);
      await c.end();
    } finally {
      await server.close();
      await db.drop();
    }
  });
});

describe('embedded PostgreSQL', () => {
  it('a server killed with SIGKILL leaves PostgreSQL behind; the next start on the folder stops it and starts cleanly', async () => {
    const { spawn } = await import('node:child_process');
    const { chmodSync, mkdtempSync, readFileSync, rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const { startEmbeddedPostgres } = await import('../src/db/embedded.js');
    const dir = mkdtempSync(join(tmpdir(), 'tg-orphan-'));
    chmodSync(dir, 0o755);
    const dataDir = join(dir, 'pg');
    const port = 56000 + Math.floor(Math.random() * 3000);
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, 'fixtures/embedded-child.ts'), dataDir, String(port)],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
      child.on('exit', (code) => reject(new Error(`child exited ${code}`)));
    });
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const orphan = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    expect(() => process.kill(orphan, 0)).not.toThrow(); // still running

    const db = await startEmbeddedPostgres({ dataDir, port });
    const c = new pg.Client({ connectionString: db.url() });
    await c.connect();
    expect((await c.query('SELECT 1 AS ok')).rows[0].ok).toBe(1);
    await c.end();
    await db.stop();
    expect(() => process.kill(orphan, 0)).toThrow();
    rmSync(dir, { recursive: true, force: true });
  });
});

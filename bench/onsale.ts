// On-sale throughput: N concurrent fans each buying K seats (reserve + pay over
// real HTTP on 127.0.0.1) against a throwaway embedded PostgreSQL, next to the raw
// rate of single-row UPDATE transactions on the same database, measured in the same run.
//   npx tsx bench/onsale.ts [--users 50] [--per-user 10]
// Figures only: nothing here asserts a budget.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  build,
  createContext,
  createPool,
  insertSeatBlocks,
  loadConfig,
  migrate,
  openSession,
  rowLabels,
  startEmbeddedPostgres,
  type Pool,
} from '@ticketgate/sync-server';
import { BENCH_ENV } from './fixtures/bench-env.js';
import { intArg } from './fixtures/int-arg.js';

const USERS = intArg('users', 50);
const PER_USER = intArg('per-user', 10);
const SEATS = USERS * PER_USER;
const PRICE_CENTS = 10_00;

type Reserved = { data: { order_id: string } };

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const ms = (ns: bigint) => Number(ns) / 1e6;

const dir = mkdtempSync(join(tmpdir(), 'tg-bench-onsale-'));
chmodSync(dir, 0o755); // as root, PostgreSQL runs as the `postgres` user and must reach the folder
const port = 56000 + Math.floor(Math.random() * 4000);
console.log(`starting embedded PostgreSQL in ${dir} (port ${port}) …`);
const pg = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), port });
const url = pg.url();
let cleanup = async () => {
  await pg.stop();
  rmSync(dir, { recursive: true, force: true });
};

try {
  await migrate(url);
  const config = loadConfig({ ...BENCH_ENV, DATABASE_URL: url });
  const ctx = createContext(config, url);
  const app = await build(ctx, { logger: false });
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  const previous = cleanup;
  cleanup = async () => {
    await app.close();
    await ctx.pool.end();
    await previous();
  };

  const { seatIds, users } = await setUp(ctx.pool);
  const tokens = await Promise.all(
    users.map(async (id) => {
      const session = await openSession(ctx.pool, id, Date.now());
      return (await ctx.signer.sign({ userId: id, role: 'fan', typ: 'access', ttlSeconds: 3600, session })).token;
    }),
  );

  const post = async (path: string, token: string, body: object): Promise<Response> =>
    fetch(`${base}/api${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  // Warm-up: JIT, connection pools, key caches. These seats are not counted.
  for (let i = 0; i < Math.min(USERS, 10); i++) {
    const r = (await (await post('/reserve', tokens[i]!, { seat_id: seatIds[SEATS + i] })).json()) as Reserved;
    await (await post('/pay', tokens[i]!, { order_id: r.data.order_id })).json();
  }

  const purchase: number[] = [];
  const reserveLat: number[] = [];
  const payLat: number[] = [];
  let failures = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    tokens.map(async (token, u) => {
      for (let k = 0; k < PER_USER; k++) {
        const seatId = seatIds[u * PER_USER + k]!;
        const t0 = process.hrtime.bigint();
        const reserved = await post('/reserve', token, { seat_id: seatId });
        const rBody = (await reserved.json()) as Reserved;
        const t1 = process.hrtime.bigint();
        if (!reserved.ok) {
          failures++;
          continue;
        }
        const paid = await post('/pay', token, { order_id: rBody.data.order_id });
        await paid.arrayBuffer();
        const t2 = process.hrtime.bigint();
        if (!paid.ok) {
          failures++;
          continue;
        }
        reserveLat.push(ms(t1 - t0));
        payLat.push(ms(t2 - t1));
        purchase.push(ms(t2 - t0));
      }
    }),
  );
  const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const sold = (await ctx.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM seats WHERE status = 'SOLD' AND id = ANY($1::uuid[])`, [seatIds.slice(0, SEATS)])).rows[0]!.n;

  const rawSeconds = Math.max(2, Math.min(5, wallSeconds));
  const raw = await rawUpdateRate(url, USERS, rawSeconds, false);
  // Every seat change of one event also bumps that event's sequence (trigger), so all reserves and
  // pays of an event queue on one row: the same-row rate is the ceiling that explains the figures.
  const hot = await rawUpdateRate(url, USERS, rawSeconds, true);

  for (const a of [purchase, reserveLat, payLat]) a.sort((x, y) => x - y);
  const perSecond = purchase.length / wallSeconds;
  const f = (n: number) => n.toFixed(1);
  console.log('');
  console.log(`on-sale bench: ${USERS} concurrent users × ${PER_USER} purchases (reserve + pay over HTTP), app pool of 20 connections`);
  console.log(`  purchases completed     ${purchase.length} of ${SEATS} (${failures} failed; ${sold} seats SOLD in the database)`);
  console.log(`  wall time               ${wallSeconds.toFixed(2)} s`);
  console.log(`  throughput              ${f(perSecond)} purchases/s  (${f(2 * perSecond)} HTTP requests/s)`);
  console.log(`  reserve+pay latency     p50 ${f(percentile(purchase, 50))} ms   p99 ${f(percentile(purchase, 99))} ms`);
  console.log(`    reserve               p50 ${f(percentile(reserveLat, 50))} ms   p99 ${f(percentile(reserveLat, 99))} ms`);
  console.log(`    pay                   p50 ${f(percentile(payLat, 50))} ms   p99 ${f(percentile(payLat, 99))} ms`);
  console.log(`  raw baseline            ${f(raw.perSecond)} single-row UPDATE transactions/s (${USERS} workers, same database, ${raw.seconds.toFixed(1)} s)`);
  console.log(`  ratio                   one purchase costs ${(raw.perSecond / perSecond).toFixed(1)} raw UPDATE transactions; purchases run at ${((100 * perSecond) / raw.perSecond).toFixed(1)} % of the raw rate`);
  console.log(`  same-row baseline       ${f(hot.perSecond)} UPDATE transactions/s when all ${USERS} workers update one row (the event-sequence row every seat change locks)`);
  console.log(`  ratio to same-row       one purchase (2 transactions) costs ${(hot.perSecond / perSecond).toFixed(1)} same-row UPDATE transactions`);
} finally {
  await cleanup();
}

/** An upcoming event with one seat per purchase (plus warm-up seats) and USERS fans with enough credits. */
async function setUp(db: Pool): Promise<{ seatIds: string[]; users: string[] }> {
  const venue = (await db.query<{ id: string }>(`INSERT INTO venues (name) VALUES ('Bench Arena') RETURNING id`)).rows[0]!.id;
  await db.query(`INSERT INTO halls (id, venue_id, name) VALUES ('BENCH', $1, 'Bench Hall')`, [venue]);
  const event = (
    await db.query<{ id: string }>(
      `INSERT INTO events (venue_id, hall_id, name, event_date) VALUES ($1, 'BENCH', 'Bench Night', now() + interval '30 days') RETURNING id`,
      [venue],
    )
  ).rows[0]!.id;
  await db.query(`INSERT INTO event_categories (event_id, category, price_cents) VALUES ($1, 'GA', $2)`, [event, PRICE_CENTS]);
  const perRow = 100;
  await insertSeatBlocks(db, event, [{ rows: rowLabels(Math.ceil((SEATS + USERS) / perRow)), seatsPerRow: perRow, category: 'GA' }]);
  const seatIds = (await db.query<{ id: string }>(`SELECT id FROM seats WHERE event_id = $1 ORDER BY row_label, seat_number`, [event])).rows.map((r) => r.id);
  const balance = PRICE_CENTS * (PER_USER + 1);
  const users = (
    await db.query<{ id: string }>(
      `INSERT INTO users (email, phone, display_name, password_hash, balance_cents)
       SELECT 'bench' || i || '@bench.test', '+6580000000', 'Bench Fan ' || i, 'not-a-login', $2 FROM generate_series(1, $1) AS i
       RETURNING id`,
      [USERS, balance],
    )
  ).rows.map((r) => r.id);
  await db.query(
    `INSERT INTO credit_ledger (user_id, amount_cents, balance_after, kind, reference_type) SELECT unnest($1::uuid[]), $2, $2, 'OPENING', 'bench'`,
    [users, balance],
  );
  return { seatIds, users };
}

/**
 * Single-row UPDATE transactions (BEGIN; UPDATE … WHERE id = $1; COMMIT) with the app's pool size:
 * one row per worker, or all workers on the same row.
 */
async function rawUpdateRate(databaseUrl: string, workers: number, seconds: number, sameRow: boolean): Promise<{ perSecond: number; seconds: number }> {
  const pool = createPool(databaseUrl, { max: 20 });
  try {
    await pool.query('CREATE TABLE IF NOT EXISTS bench_counter (id int PRIMARY KEY, v bigint NOT NULL DEFAULT 0)');
    await pool.query('INSERT INTO bench_counter (id) SELECT generate_series(1, $1) ON CONFLICT DO NOTHING', [workers]);
    let done = 0;
    const deadline = process.hrtime.bigint() + BigInt(Math.round(seconds * 1e9));
    const start = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: workers }, async (_, w) => {
        while (process.hrtime.bigint() < deadline) {
          const c = await pool.connect();
          try {
            await c.query('BEGIN');
            await c.query('UPDATE bench_counter SET v = v + 1 WHERE id = $1', [sameRow ? 1 : w + 1]);
            await c.query('COMMIT');
            done++;
          } finally {
            c.release();
          }
        }
      }),
    );
    const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
    return { perSecond: done / elapsed, seconds: elapsed };
  } finally {
    await pool.end();
  }
}

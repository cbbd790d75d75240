// On-sale throughput: N concurrent fans each buying K seats of one event (reserve
// + pay over real HTTP on 127.0.0.1) against one or more server instances, each
// in its own process, with the load generator in another process, next to the raw
// rate of single-row UPDATE transactions on the same database, measured in the
// same run just before and just after the fans (servers stopped): on a shared
// machine the two may differ, and the ratio is taken against their mean.
//   npx tsx bench/onsale.ts [--users 100] [--per-user 20] [--instances 1] [--pool 20]
// Figures only: nothing here asserts a budget. Targets: purchases ≥ 20 % of the
// raw rate, p99 reserve+pay ≤ 250 ms with 100 concurrent fans.
import { intArg } from './lib/args.js';
import { startBenchDatabase } from './lib/embedded-db.js';
import type { LoadJob, LoadReport } from './lib/onsale-load.js';
import { forkScript, startInstance, type Instance } from './lib/processes.js';
import { createPool, createTokenSigner, insertSeatBlocks, openSession, rowLabels, type Pool } from '@ticketgate/sync-server';
import { BENCH_ENV } from './fixtures/bench-env.js';

const USERS = intArg('users', 100);
const PER_USER = intArg('per-user', 20);
const INSTANCES = intArg('instances', 1);
const POOL = intArg('pool', 20);
const WARMUP = 1;
const PRICE_CENTS = 10_00;
const OPENING_CENTS = PRICE_CENTS * (PER_USER + WARMUP);

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const f = (n: number) => n.toFixed(1);

const db = await startBenchDatabase('onsale');
const instances: Instance[] = [];
try {
  const setupPool = createPool(db.url, { max: 4 });
  const { seatIds, users } = await setUp(setupPool);
  const signer = createTokenSigner(BENCH_ENV.JWT_SECRET);
  const tokens = await Promise.all(
    users.map(async (id) => {
      const session = await openSession(setupPool, id, Date.now());
      return (await signer.sign({ userId: id, role: 'fan', typ: 'access', ttlSeconds: 3600, session })).token;
    }),
  );

  const rawBefore = await rawUpdateRate(db.url, USERS, 5);
  for (let i = 0; i < INSTANCES; i++) instances.push(await startInstance(db.url, { ...BENCH_ENV, DATABASE_POOL_SIZE: String(POOL) }));
  const perFan = PER_USER + WARMUP;
  const job: LoadJob = {
    urls: instances.map((s) => s.url),
    fans: tokens.map((token, u) => ({ token, seats: seatIds.slice(u * perFan, (u + 1) * perFan) })),
    warmup: WARMUP,
  };
  const loader = forkScript('onsale-load.ts');
  const report = await new Promise<LoadReport>((resolve, reject) => {
    loader.once('message', (m) => resolve(m as LoadReport));
    loader.once('exit', (code) => code !== 0 && reject(new Error(`load generator exited with ${code}`)));
    loader.send(job);
  });
  for (const s of instances.splice(0)) await s.stop();

  // The database agrees: every counted seat sold once, every balance exact.
  const check = (
    await setupPool.query<{ sold: number; confirmed: number; wrong_balances: number }>(
      `SELECT (SELECT count(*) FROM seats WHERE status = 'SOLD')::int AS sold,
              (SELECT count(*) FROM orders WHERE status = 'CONFIRMED')::int AS confirmed,
              (SELECT count(*) FROM users u WHERE u.balance_cents <> $1 - $2 * (SELECT count(*) FROM seats s WHERE s.owner_user_id = u.id))::int AS wrong_balances`,
      [OPENING_CENTS, PRICE_CENTS],
    )
  ).rows[0]!;
  await setupPool.end();

  const rawAfter = await rawUpdateRate(db.url, USERS, 5);
  const raw = { perSecond: (rawBefore.perSecond + rawAfter.perSecond) / 2 };

  const { purchaseMs, reserveMs, payMs } = report;
  for (const a of [purchaseMs, reserveMs, payMs]) a.sort((x, y) => x - y);
  const perSecond = purchaseMs.length / report.wallSeconds;
  const ratio = (100 * perSecond) / raw.perSecond;
  const p99 = percentile(purchaseMs, 99);
  const failures = new Map<string, number>();
  for (const r of report.failures) failures.set(r, (failures.get(r) ?? 0) + 1);
  console.log('');
  console.log(
    `on-sale bench: ${USERS} concurrent fans × ${PER_USER} purchases (reserve + pay over HTTP), ${INSTANCES} server instance(s) ` +
      `in their own processes, pool ${POOL} each, load generator in its own process`,
  );
  console.log(
    `  purchases completed     ${purchaseMs.length} of ${USERS * PER_USER} (${report.failures.length} failed${failures.size ? `: ${[...failures].map(([k, n]) => `${n}× ${k}`).join(', ')}` : ''})`,
  );
  console.log(
    `  database check          ${check.sold} seats SOLD, ${check.confirmed} orders CONFIRMED, ${check.wrong_balances} balances off`,
  );
  console.log(`  wall time               ${report.wallSeconds.toFixed(2)} s`);
  console.log(`  throughput              ${f(perSecond)} purchases/s  (${f(2 * perSecond)} HTTP requests/s)`);
  console.log(
    `  reserve+pay latency     p50 ${f(percentile(purchaseMs, 50))} ms   p99 ${f(p99)} ms   (target p99 ≤ 250 ms: ${p99 <= 250 ? 'met' : 'missed'})`,
  );
  console.log(`    reserve               p50 ${f(percentile(reserveMs, 50))} ms   p99 ${f(percentile(reserveMs, 99))} ms`);
  console.log(`    pay                   p50 ${f(percentile(payMs, 50))} ms   p99 ${f(percentile(payMs, 99))} ms`);
  console.log(
    `  raw baseline            ${f(raw.perSecond)} single-row UPDATE transactions/s (mean of ${f(rawBefore.perSecond)} before and ` +
      `${f(rawAfter.perSecond)} after the fans; ${USERS} workers, pool of 20, same database, 5 s each)`,
  );
  console.log(
    `  ratio                   purchases run at ${f(ratio)} % of the raw rate (target ≥ 20 %: ${ratio >= 20 ? 'met' : 'missed'})`,
  );
  console.log(
    JSON.stringify({
      bench: 'onsale',
      users: USERS,
      perUser: PER_USER,
      instances: INSTANCES,
      pool: POOL,
      purchasesPerSec: Math.round(perSecond),
      p50Ms: Math.round(percentile(purchaseMs, 50)),
      p99Ms: Math.round(p99),
      rawUpdatesPerSec: Math.round(raw.perSecond),
      rawBefore: Math.round(rawBefore.perSecond),
      rawAfter: Math.round(rawAfter.perSecond),
      ratioPercent: Number(ratio.toFixed(1)),
    }),
  );
} finally {
  for (const s of instances) await s.stop();
  await db.stop();
}

/** An upcoming event with one seat per purchase (warm-up included) and USERS fans with exactly enough credits. */
async function setUp(db: Pool): Promise<{ seatIds: string[]; users: string[] }> {
  const seats = USERS * (PER_USER + WARMUP);
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
  await insertSeatBlocks(db, event, [{ rows: rowLabels(Math.ceil(seats / perRow)), seatsPerRow: perRow, category: 'GA' }]);
  const seatIds = (
    await db.query<{ id: string }>(`SELECT id FROM seats WHERE event_id = $1 ORDER BY row_label, seat_number`, [event])
  ).rows.map((r) => r.id);
  const users = (
    await db.query<{ id: string }>(
      `INSERT INTO users (email, phone, display_name, password_hash, balance_cents)
       SELECT 'bench' || i || '@bench.test', '+6580000000', 'Bench Fan ' || i, 'not-a-login', $2 FROM generate_series(1, $1) AS i
       RETURNING id`,
      [USERS, OPENING_CENTS],
    )
  ).rows.map((r) => r.id);
  await db.query(
    `INSERT INTO credit_ledger (user_id, amount_cents, balance_after, kind, reference_type) SELECT unnest($1::uuid[]), $2, $2, 'OPENING', 'bench'`,
    [users, OPENING_CENTS],
  );
  return { seatIds, users };
}

/** Single-row UPDATE transactions (BEGIN; UPDATE … WHERE id = $1; COMMIT), one row per worker, on a pool of 20. */
async function rawUpdateRate(databaseUrl: string, workers: number, seconds: number): Promise<{ perSecond: number; seconds: number }> {
  const pool = createPool(databaseUrl, { max: 20 });
  try {
    await pool.query('CREATE TABLE IF NOT EXISTS bench_counter (id int PRIMARY KEY, v bigint NOT NULL DEFAULT 0)');
    await pool.query('INSERT INTO bench_counter (id) SELECT generate_series(1, $1) ON CONFLICT DO NOTHING', [workers]);
    let done = 0;
    const deadline = performance.now() + seconds * 1000;
    const start = performance.now();
    await Promise.all(
      Array.from({ length: workers }, async (_, w) => {
        while (performance.now() < deadline) {
          const c = await pool.connect();
          try {
            await c.query('BEGIN');
            await c.query('UPDATE bench_counter SET v = v + 1 WHERE id = $1', [w + 1]);
            await c.query('COMMIT');
            done++;
          } finally {
            c.release();
          }
        }
      }),
    );
    const elapsed = (performance.now() - start) / 1000;
    return { perSecond: done / elapsed, seconds: elapsed };
  } finally {
    await pool.end();
  }
}

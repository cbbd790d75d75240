// Server side of a gate's full seat pull: the time to produce a 100,000-seat
// snapshot (GET /api/sync/events/:id/seats?since=0), plain and gzip, next to a
// raw baseline measured in the same run (node-pg reading the same rows).
//   npx tsx bench/manifest-server.ts [--seats=100000] [--runs=7]
// Uses embedded PostgreSQL in a temp folder, or BENCH_DATABASE_URL (an empty database).
// Budget (issue 6): the gate's full pull + apply ≤ 3 s, so the server's part well under 1 s.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import {
  build,
  createContext,
  hashDeviceToken,
  loadConfig,
  migrate,
  newDeviceToken,
  readSeatDelta,
  startEmbeddedPostgres,
} from '@ticketgate/sync-server';
import { BENCH_ENV } from './fixtures/bench-env.js';
import { insertBenchSeats } from './fixtures/big-event.js';

function arg(name: string, fallback: number): number {
  const hit = process.argv.find((a) => a.startsWith(`--${name}=`));
  return hit ? Number(hit.slice(name.length + 3)) : fallback;
}
const SEATS = arg('seats', 100_000);
const RUNS = arg('runs', 7);
const PER_ROW = 400;

let stop: (() => Promise<void>) | undefined;
let dir: string | undefined;
let url = process.env.BENCH_DATABASE_URL;
if (!url) {
  dir = mkdtempSync(join(tmpdir(), 'tg-bench-'));
  // PostgreSQL runs as its own user when started as root: it must be able to enter the folder.
  chmodSync(dir, 0o755);
  const db = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), port: 56000 + Math.floor(Math.random() * 4000) });
  url = db.url();
  stop = db.stop;
}

try {
  await migrate(url);
  const ctx = createContext(loadConfig({ ...BENCH_ENV, DATABASE_URL: url }), url);
  const q = <T extends object = Record<string, unknown>>(sql: string, p: unknown[] = []) => ctx.pool.query<T>(sql, p).then((r) => r.rows);

  // An event the size of a stadium: 60% sold, a third of those already admitted by a gate.
  const t0 = performance.now();
  const [venue] = await q<{ id: string }>(`INSERT INTO venues (name) VALUES ('Bench Stadium') RETURNING id`);
  await q(`INSERT INTO halls (id, venue_id, name) VALUES ('BENCH', $1, 'Bench Hall')`, [venue!.id]);
  const [user] = await q<{ id: string }>(
    `INSERT INTO users (email, phone, display_name, password_hash) VALUES ('bench@x.test', '+6590000000', 'Bench Fan', 'x') RETURNING id`,
  );
  const [event] = await q<{ id: string }>(
    `INSERT INTO events (venue_id, hall_id, name, event_date) VALUES ($1, 'BENCH', 'Bench Night', now() + interval '1 day') RETURNING id`,
    [venue!.id],
  );
  const eventId = event!.id;
  await q(`INSERT INTO event_categories (event_id, category, price_cents) VALUES ($1, 'CAT1', 10000)`, [eventId]);
  const token = newDeviceToken();
  const [device] = await q<{ id: string }>(
    `INSERT INTO devices (hall_id, name, token_hash, box_public_key) VALUES ('BENCH', 'Bench Gate', $1, 'x') RETURNING id`,
    [hashDeviceToken(token)],
  );
  await insertBenchSeats(ctx.pool, eventId, user!.id, SEATS, PER_ROW);
  await q(
    `INSERT INTO scans (client_scan_id, device_id, hall_id, event_id, seat_id, generation, result, scanned_at)
     SELECT gen_random_uuid()::text, $2, 'BENCH', $1, id, 1, 'SUCCESS', checked_in_at FROM seats WHERE event_id = $1 AND status = 'CHECKED_IN'`,
    [eventId, device!.id],
  );
  await q('ANALYZE');
  const [count] = await q<{ n: number }>('SELECT count(*)::int AS n FROM seats WHERE event_id = $1', [eventId]);
  console.log(`setup: ${count!.n} seats (60% sold, 20% admitted) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const app = await build(ctx, { logger: false });
  await app.ready();
  const identity = { id: device!.id, hallId: 'BENCH', name: 'Bench Gate' };
  const headers = { authorization: `Bearer ${token}` };

  async function time(label: string, fn: () => Promise<unknown>): Promise<number> {
    for (let i = 0; i < 2; i++) await fn();
    const ms: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const s = performance.now();
      await fn();
      ms.push(performance.now() - s);
    }
    ms.sort((a, b) => a - b);
    const median = ms[Math.floor(ms.length / 2)]!;
    console.log(`${label.padEnd(58)} median ${median.toFixed(0).padStart(5)} ms   min ${ms[0]!.toFixed(0).padStart(5)} ms`);
    return median;
  }

  const raw = await time('baseline: node-pg SELECT of the seat columns (rows parsed)', () =>
    q('SELECT id, row_label, seat_number, category, status, generation, owner_user_id, checked_in_at FROM seats WHERE event_id = $1', [
      eventId,
    ]),
  );
  const domain = await time('readSeatDelta (one RR snapshot, tuples as JSON text)', () => readSeatDelta(ctx, identity, eventId, 0));
  const url0 = `/api/sync/events/${eventId}/seats?since=0`;
  const plainMs = await time('HTTP since=0, identity encoding', () => app.inject({ method: 'GET', url: url0, headers }));
  const gzipMs = await time('HTTP since=0, gzip', () =>
    app.inject({ method: 'GET', url: url0, headers: { ...headers, 'accept-encoding': 'gzip' } }),
  );
  const plain = await app.inject({ method: 'GET', url: url0, headers });
  const zipped = await app.inject({ method: 'GET', url: url0, headers: { ...headers, 'accept-encoding': 'gzip' } });
  const parsed = JSON.parse(gunzipSync(zipped.rawPayload).toString('utf8'));
  if (parsed.data.seats.length !== count!.n || parsed.data.full !== true) throw new Error('bench: snapshot incomplete');
  const parseMs = await time('(gate side, for reference) gunzip + JSON.parse', async () =>
    JSON.parse(gunzipSync(zipped.rawPayload).toString('utf8')),
  );

  console.log('');
  console.log(
    `snapshot: ${count!.n} seats, ${(plain.rawPayload.length / 1e6).toFixed(2)} MB JSON, ${(zipped.rawPayload.length / 1e6).toFixed(2)} MB gzip`,
  );
  console.log(
    `server time for a full snapshot: ${domain.toFixed(0)} ms in the domain, ${plainMs.toFixed(0)} ms over HTTP, ${gzipMs.toFixed(0)} ms with gzip`,
  );
  console.log(`vs raw baseline: ${(domain / raw).toFixed(2)}× a plain node-pg read of the same rows (${raw.toFixed(0)} ms)`);
  console.log(
    `budget: server part well under 1000 ms (gzip path ${gzipMs < 1000 ? 'within' : 'OVER'}); gate decode ${parseMs.toFixed(0)} ms`,
  );
  await app.close();
  await ctx.pool.end();
} finally {
  await stop?.();
  if (dir) rmSync(dir, { recursive: true, force: true });
}

// The gate side of issue 6, against the REAL sync server (in this process,
// embedded PostgreSQL in a temp folder) with a 100,000-seat event:
//   - full snapshot pull + apply (HTTP, gunzip, JSON, schema check, one SQLite transaction);
//   - a 1,000-seat delta pull + apply;
//   - verify + record scans per second on one core (synchronous=FULL, durable before the verdict),
//     one at a time and with 8 scanners at once (group commit), next to the raw cost of one
//     Ed25519 verification plus one durable SQLite insert measured in the same run.
//   npx tsx bench/gate.ts [--seats=100000] [--runs=3] [--scans=2000]
// Targets: snapshot ≤ 3 s, delta ≤ 200 ms, ≥ 1,000 scans/s.
import { randomBytes, sign, verify as ed25519Verify, createPublicKey, createPrivateKey } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { issueCredential, newSyncNonce, signSync, verifySync } from '@ticketgate/crypto';
import { GateEngine } from '../gate-app/src/engine/index.js';
import { createEnrolmentCode, loadConfig, startServer } from '@ticketgate/sync-server';
import { insertBenchSeats } from './fixtures/big-event.js';

function arg(name: string, fallback: number): number {
  const hit = process.argv.find((a) => a.startsWith(`--${name}=`));
  return hit ? Number(hit.slice(name.length + 3)) : fallback;
}
const SEATS = arg('seats', 100_000);
const RUNS = arg('runs', 3);
const SCANS = arg('scans', 2000);
const PER_ROW = 400;
const DELTA = 1000;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

const root = mkdtempSync(join(tmpdir(), 'tg-bench-gate-'));
chmodSync(root, 0o755); // as root, PostgreSQL runs as its own user and must enter the folder
const server = await startServer(
  loadConfig({
    NODE_ENV: 'development',
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'silent',
    DEMO: 'false',
    PG_DATA_DIR: join(root, 'pg'),
    PG_PORT: String(56000 + Math.floor(Math.random() * 4000)),
  }),
);
const gates: GateEngine[] = [];
try {
  const { ctx } = server;
  const q = <T extends object = Record<string, unknown>>(sql: string, p: unknown[] = []) => ctx.pool.query<T>(sql, p).then((r) => r.rows);

  // A stadium-sized event: 60% sold, 20% already admitted elsewhere.
  const t0 = performance.now();
  const [venue] = await q<{ id: string }>(`INSERT INTO venues (name) VALUES ('Bench Stadium') RETURNING id`);
  await q(`INSERT INTO halls (id, venue_id, name) VALUES ('BENCH', $1, 'Bench Hall')`, [venue!.id]);
  const [user] = await q<{ id: string }>(
    `INSERT INTO users (email, phone, display_name, password_hash, role) VALUES ('bench@x.test', '+6590000000', 'Bench Fan', 'x', 'operator') RETURNING id`,
  );
  const [event] = await q<{ id: string }>(
    `INSERT INTO events (venue_id, hall_id, name, event_date) VALUES ($1, 'BENCH', 'Bench Night', now() + interval '1 day') RETURNING id`,
    [venue!.id],
  );
  const eventId = event!.id;
  await q(`INSERT INTO event_categories (event_id, category, price_cents) VALUES ($1, 'CAT1', 10000)`, [eventId]);
  await insertBenchSeats(ctx.pool, eventId, user!.id, SEATS, PER_ROW);
  await q('ANALYZE');
  const [{ n: seatCount } = { n: 0 }] = await q<{ n: number }>('SELECT count(*)::int AS n FROM seats WHERE event_id = $1', [eventId]);
  console.log(
    `node ${process.version}; server ${server.url}; setup: ${fmt(seatCount)} seats in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );

  const enrolledGate = async (i: number) => {
    const code = (await createEnrolmentCode(ctx, { hallId: 'BENCH', ttlMinutes: 10, createdBy: user!.id })).code;
    const gate = await GateEngine.open({ dataDir: join(root, `gate-${i}`), serverUrl: server.url });
    gates.push(gate);
    await gate.enrol(code, `Bench Gate ${i}`);
    return gate;
  };

  // 1. Full snapshot: a fresh gate each run (empty database, cursor 0).
  const snapshot: number[] = [];
  const snapshotApply: number[] = [];
  let gate!: GateEngine;
  for (let run = 0; run < RUNS; run++) {
    gate = await enrolledGate(run);
    const puller = gate.sync()!.puller;
    await puller.manifest();
    const s = performance.now();
    const r = await puller.event(eventId);
    snapshot.push(performance.now() - s);
    snapshotApply.push(r.applyMs);
    if (r.seats !== seatCount || !r.full) throw new Error(`bench: snapshot had ${r.seats} seats`);
  }
  console.log(
    `full snapshot pull + apply (${fmt(seatCount)} seats): median ${(median(snapshot) / 1000).toFixed(2)} s  [${snapshot.map((x) => (x / 1000).toFixed(2)).join(', ')}]  target ≤ 3 s ${median(snapshot) <= 3000 ? 'OK' : 'OVER'}`,
  );
  console.log(
    `  of which the SQLite transaction: median ${median(snapshotApply).toFixed(0)} ms; the rest is the server, transfer, gunzip, JSON and schema check`,
  );

  // Signed sync: what signing costs the server and verifying costs the gate on the real snapshot's bytes, same run.
  const snapshotBytes = Buffer.from(
    await (
      await fetch(`${server.url}/api/sync/events/${eventId}/seats?since=0`, {
        headers: { authorization: `Bearer ${gate.store.device.get()!.device_token}` },
      })
    ).arrayBuffer(),
  );
  const syncKey = await ctx.syncKeys.activeKey();
  const signMs: number[] = [];
  const verifyMs: number[] = [];
  for (let run = 0; run < Math.max(RUNS, 5); run++) {
    const nonce = newSyncNonce();
    let s = performance.now();
    const sig = signSync(syncKey, 'seats', nonce, snapshotBytes);
    signMs.push(performance.now() - s);
    s = performance.now();
    if (!verifySync(syncKey, sig, 'seats', nonce, snapshotBytes).ok) throw new Error('bench: signature did not verify');
    verifyMs.push(performance.now() - s);
  }
  console.log(
    `signature of the snapshot (${(snapshotBytes.length / 1e6).toFixed(1)} MB): sign median ${median(signMs).toFixed(1)} ms, verify median ${median(verifyMs).toFixed(1)} ms (included in the pull above)`,
  );

  // 2. Deltas of 1,000 changed seats (sales), on the last gate.
  const puller = gate.sync()!.puller;
  const deltas: number[] = [];
  for (let run = 0; run < Math.max(RUNS, 5); run++) {
    await q(
      `UPDATE seats SET status = 'SOLD', owner_user_id = $2
        WHERE id IN (SELECT id FROM seats WHERE event_id = $1 AND status = 'AVAILABLE' ORDER BY row_label, seat_number LIMIT $3)`,
      [eventId, user!.id, DELTA],
    );
    const s = performance.now();
    const r = await puller.event(eventId);
    deltas.push(performance.now() - s);
    if (r.seats !== DELTA || r.full) throw new Error(`bench: delta had ${r.seats} seats`);
  }
  console.log(
    `delta pull + apply (${fmt(DELTA)} changed seats): median ${median(deltas).toFixed(0)} ms  [${deltas.map((x) => x.toFixed(0)).join(', ')}]  target ≤ 200 ms ${median(deltas) <= 200 ? 'OK' : 'OVER'}`,
  );

  // 3. Scans: real credentials from the server's keys for sold, not yet admitted seats.
  const issuing = await ctx.keys.activeIssuingKey();
  const gateKey = await ctx.keys.gateKeyFor(eventId);
  await puller.manifest(); // the gate key of the event, sealed to this gate
  const sold = await q<{ id: string }>(`SELECT id FROM seats WHERE event_id = $1 AND status = 'SOLD' LIMIT $2`, [eventId, SCANS * 3]);
  if (sold.length < SCANS * 3) throw new Error('bench: not enough sold seats');
  const issuedAt = Math.floor(Date.now() / 1000);
  const tickets = sold.map((s) =>
    issueCredential({ seatId: s.id, eventId, hallCode: 'BENCH', generation: 1, issuedAt }, { issuing, gate: gateKey }),
  );

  const warm = tickets.slice(0, 200);
  for (const t of warm) await gate.scan(t, 'bench');
  const seqTickets = tickets.slice(200, 200 + SCANS);
  let s = performance.now();
  for (const t of seqTickets) if ((await gate.scan(t, 'bench')).result !== 'SUCCESS') throw new Error('bench: a scan was not SUCCESS');
  const sequential = SCANS / ((performance.now() - s) / 1000);

  const CONCURRENT = 8;
  const conTickets = tickets.slice(200 + SCANS, 200 + 2 * SCANS);
  s = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENT }, async () => {
      while (next < conTickets.length) {
        const t = conTickets[next++]!;
        if ((await gate.scan(t, 'bench')).result !== 'SUCCESS') throw new Error('bench: a scan was not SUCCESS');
      }
    }),
  );
  const concurrent = SCANS / ((performance.now() - s) / 1000);

  // Raw baseline, same run: one Ed25519 verify + one durable (WAL, synchronous=FULL) single-row SQLite insert.
  const seed = randomBytes(32);
  const priv = createPrivateKey({
    key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]),
    format: 'der',
    type: 'pkcs8',
  });
  const pub = createPublicKey(priv);
  const message = randomBytes(73);
  const signature = sign(null, message, priv);
  const raw = new Database(join(root, 'raw.sqlite'));
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = FULL');
  raw.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)');
  const ins = raw.prepare('INSERT INTO t (v) VALUES (?)');
  for (let i = 0; i < 200; i++) ins.run('warm');
  s = performance.now();
  for (let i = 0; i < SCANS; i++) {
    if (!ed25519Verify(null, message, pub, signature)) throw new Error('bench: raw verify failed');
    ins.run(String(i));
  }
  const baseline = SCANS / ((performance.now() - s) / 1000);
  raw.close();

  console.log(`raw baseline (1 Ed25519 verify + 1 durable SQLite insert): ${fmt(baseline)} /s  (${(1000 / baseline).toFixed(3)} ms each)`);
  console.log(`verify + record, one scan at a time: ${fmt(sequential)} scans/s  (${(sequential / baseline).toFixed(2)}× baseline)`);
  console.log(
    `verify + record, ${CONCURRENT} scanners at once (group commit): ${fmt(concurrent)} scans/s  (${(concurrent / baseline).toFixed(2)}× baseline)  target ≥ 1,000/s ${concurrent >= 1000 ? 'OK' : 'UNDER'}`,
  );
  console.log(
    JSON.stringify({
      bench: 'gate',
      seats: seatCount,
      snapshotSeconds: Number((median(snapshot) / 1000).toFixed(3)),
      deltaMs: Math.round(median(deltas)),
      snapshotSignMs: Number(median(signMs).toFixed(1)),
      snapshotVerifyMs: Number(median(verifyMs).toFixed(1)),
      scansPerSecSequential: Math.round(sequential),
      scansPerSecConcurrent: Math.round(concurrent),
      rawVerifyPlusDurableInsertPerSec: Math.round(baseline),
    }),
  );
} finally {
  for (const g of gates) await g.close();
  await server.close();
  rmSync(root, { recursive: true, force: true });
}

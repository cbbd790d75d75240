import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { applySeatBatch, DATABASE_FILE, GateEngine, GateStore, type ScanVerdict } from '../src/engine/index.js';
import Database from 'better-sqlite3';
import { SCHEMA_V1, SCHEMA_VERSION } from '../src/engine/store/schema.js';
import { createLocalHall, tempDir, type LocalHall } from './helpers/local-hall.js';

const here = fileURLToPath(new URL('.', import.meta.url));
let hall: LocalHall | undefined;
afterEach(() => hall?.cleanup());

describe('gate store', () => {
  it('upgrades a schema-1 data folder in place: seats keep their admissions and gain the admitting device, scans a proof column; no sync key is pinned', () => {
    const dir = tempDir();
    try {
      const v1 = new Database(join(dir.path, DATABASE_FILE));
      v1.exec(SCHEMA_V1);
      v1.pragma('user_version = 1');
      v1.prepare(
        "INSERT INTO events (event_id, name, event_date, server_seq, listed) VALUES ('e1', 'Night', '2026-06-15T19:00:00Z', 3, 1)",
      ).run();
      v1.prepare(
        `INSERT INTO seats (seat_id, event_id, row_label, seat_number, category, status, generation, holder_name, admitted_at, admitted_by, admitted_source)
         VALUES ('s1', 'e1', 'A', 1, 'CAT1', 'CHECKED_IN', 1, 'Fan', 1000, 'Gate North', 'server')`,
      ).run();
      v1.prepare(
        `INSERT INTO scans (client_scan_id, device_time, clock_offset_ms, source, result, seat_id) VALUES ('c1', 1000, 0, 'stdin', 'SUCCESS', 's1')`,
      ).run();
      v1.prepare("INSERT INTO device (id, box_key_pair, device_id, device_token) VALUES (1, 'k', 'd1', 'tgd_x')").run();
      v1.close();
      const store = GateStore.open(dir.path);
      expect(store.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(store.catalog.seat('s1')).toMatchObject({
        admitted_at: 1000,
        admitted_by: 'Gate North',
        admitted_source: 'server',
        admitted_device: null,
      });
      // An admission recorded before v3 has no proof to upload (the server refuses it as no_proof).
      expect(store.scans.byClientId('c1')).toMatchObject({ result: 'SUCCESS', credential: null });
      // Enrolled before signed sync: it must enrol again (the key is never learned on first use).
      expect(store.device.get()).toMatchObject({ device_id: 'd1', sync_key: null });
      // v5: hall names arrive with the next manifest.
      expect(store.halls.get('HALL-B')).toBeUndefined();
      store.close();
    } finally {
      dir.remove();
    }
  });

  it('keeps the database owner-only (it holds the device token and box key)', async () => {
    hall = await createLocalHall();
    const gate = await GateEngine.open({ dataDir: hall.dir });
    await gate.scan(hall.ticket(hall.seats.sold));
    expect(statSync(hall.dir).mode & 0o777).toBe(0o700);
    for (const f of [DATABASE_FILE, `${DATABASE_FILE}-wal`]) expect(statSync(join(hall.dir, f)).mode & 0o777).toBe(0o600);
    expect(gate.store.db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(gate.store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    await gate.close();
  });

  it('has the verdict and the admission on disk when scan() returns', async () => {
    hall = await createLocalHall();
    const gate = await GateEngine.open({ dataDir: hall.dir });
    const v = await gate.scan(hall.ticket(hall.seats.sold));
    expect(v.result).toBe('SUCCESS');
    // A second connection (as after a crash: the first is never closed) sees the committed scan and seat.
    const other = GateStore.open(hall.dir);
    expect(other.scans.byClientId(v.clientScanId)).toMatchObject({ result: 'SUCCESS', upload_state: 'pending' });
    expect(other.catalog.seat(hall.seats.sold.seatId)).toMatchObject({ status: 'CHECKED_IN', admitted_source: 'local' });
    other.close();
    await gate.close();

    const reopened = await GateEngine.open({ dataDir: hall.dir });
    expect((await reopened.scan(hall.ticket(hall.seats.sold))).result).toBe('DUPLICATE');
    expect(reopened.status().backlog).toBe(2);
    await reopened.close();
  });

  it('survives kill -9 right after the verdict', async () => {
    hall = await createLocalHall();
    const text = hall.ticket(hall.seats.sold);
    // The child prints the verdict and is SIGKILLed by us as soon as we read it: no close, no checkpoint.
    const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'fixtures/scan-once.ts'), hall.dir, text], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const line = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('\n')) {
          child.kill('SIGKILL');
          resolve(out.split('\n')[0]!);
        }
      });
      child.on('exit', (code) => reject(new Error(`child exited (${code}) before a verdict`)));
    });
    await new Promise((r) => child.once('close', r));
    const shown = JSON.parse(line) as { result: string; scanId: string };
    expect(shown.result).toBe('SUCCESS');
    const store = GateStore.open(hall.dir);
    expect(store.scans.byClientId(shown.scanId)?.result).toBe('SUCCESS');
    expect(store.catalog.seat(hall.seats.sold.seatId)?.status).toBe('CHECKED_IN');
    store.close();
  });

  it('admits each seat exactly once under a burst of concurrent scans', async () => {
    hall = await createLocalHall({ manySeats: 60 });
    const gate = await GateEngine.open({ dataDir: hall.dir });
    const texts = hall.many.flatMap((s) => Array.from({ length: 8 }, () => hall!.ticket(s)));
    texts.sort(() => Math.random() - 0.5);
    const verdicts = await Promise.all(texts.map((t) => gate.scan(t)));
    const successes = verdicts.filter((v) => v.result === 'SUCCESS');
    expect(successes).toHaveLength(60);
    expect(new Set(successes.map((v) => v.seat!.seat_id)).size).toBe(60);
    expect(verdicts.filter((v) => v.result === 'DUPLICATE')).toHaveLength(texts.length - 60);
    expect(gate.status().total_scans).toBe(texts.length);
    await gate.close();
  });

  it('admits each seat exactly once when several processes scan the same tickets on one database', async () => {
    hall = await createLocalHall({ manySeats: 40 });
    const texts = hall.many.map((s) => hall!.ticket(s));
    const runs = await Promise.all(
      [0, 1, 2].map(
        (i) =>
          new Promise<ScanVerdict['result'][]>((resolve, reject) => {
            const order = i === 1 ? [...texts].reverse() : texts;
            const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'fixtures/scan-many.ts'), hall!.dir], {
              stdio: ['pipe', 'pipe', 'inherit'],
            });
            let out = '';
            child.stdout.on('data', (d: Buffer) => (out += d.toString()));
            child.on('exit', (code) =>
              code === 0 ? resolve(JSON.parse(out) as ScanVerdict['result'][]) : reject(new Error(`exit ${code}`)),
            );
            child.stdin.end(JSON.stringify(order));
          }),
      ),
    );
    const all = runs.flat();
    expect(all).toHaveLength(120);
    expect(all.filter((r) => r === 'SUCCESS')).toHaveLength(40);
    expect(all.filter((r) => r === 'DUPLICATE')).toHaveLength(80);
  });

  it('applies snapshots and deltas without ever forgetting an admission', async () => {
    hall = await createLocalHall();
    const gate = await GateEngine.open({ dataDir: hall.dir });
    const { sold, sold2, held, admitted } = hall.seats;
    await gate.scan(hall.ticket(sold));
    const store = gate.store;

    // A delta older than the local admission (server has not seen the upload yet).
    applySeatBatch(store, { eventId: hall.eventId, full: false, cursor: 11, seats: [{ ...sold, holder: 'Renamed' }] }, Date.now());
    expect(store.catalog.seat(sold.seatId)).toMatchObject({ status: 'CHECKED_IN', admitted_source: 'local', holder_name: 'Renamed' });

    // A stale reply (cursor behind) is ignored.
    applySeatBatch(store, { eventId: hall.eventId, full: false, cursor: 5, seats: [{ ...sold2, status: 'AVAILABLE' }] }, Date.now());
    expect(store.catalog.seat(sold2.seatId)?.status).toBe('SOLD');
    expect(store.syncState.cursor(hall.eventId)).toBe(11);

    // A full snapshot that drops seats: gone, except the one this gate admitted.
    applySeatBatch(
      store,
      { eventId: hall.eventId, full: true, cursor: 20, seats: [{ ...held, status: 'SOLD', generation: 2 }, admitted] },
      Date.now(),
    );
    expect(store.catalog.seat(sold2.seatId)).toBeUndefined();
    expect(store.catalog.seat(sold.seatId)?.admitted_source).toBe('local');
    expect(store.catalog.seat(held.seatId)).toMatchObject({ status: 'SOLD', generation: 2 });
    expect(store.syncState.cursor(hall.eventId)).toBe(20);

    // The server's canonical admission replaces what the gate believed.
    const canonicalAt = Date.parse('2026-06-15T18:00:00Z');
    applySeatBatch(
      store,
      {
        eventId: hall.eventId,
        full: false,
        cursor: 21,
        seats: [{ ...sold, status: 'CHECKED_IN', admittedAt: canonicalAt, admittedBy: 'Gate East' }],
      },
      Date.now(),
    );
    expect(store.catalog.seat(sold.seatId)).toMatchObject({
      admitted_at: canonicalAt,
      admitted_by: 'Gate East',
      admitted_source: 'server',
    });
    await gate.close();
  });
});

describe('conflict re-check', () => {
  it('re-sends an uploaded admission when the server names another gate first', async () => {
    hall = await createLocalHall();
    const gate = await GateEngine.open({ dataDir: hall.dir });
    const v = await gate.scan(hall.ticket(hall.seats.sold));
    gate.store.scans.markUploaded(v.clientScanId, Date.now());
    const { sold, sold2 } = hall.seats;
    const at = Date.now() - 5_000;
    const self = gate.store.device.get()!.device_id;
    // Our own device as canonical: nothing to re-check.
    let r = applySeatBatch(
      gate.store,
      {
        eventId: hall.eventId,
        full: false,
        cursor: 11,
        seats: [{ ...sold, status: 'CHECKED_IN', admittedAt: v.scannedAt, admittedBy: 'Gate Test', admittedDevice: self }],
      },
      Date.now(),
    );
    expect(r.requeued).toBe(0);
    const east = crypto.randomUUID();
    r = applySeatBatch(
      gate.store,
      {
        eventId: hall.eventId,
        full: false,
        cursor: 12,
        seats: [{ ...sold, status: 'CHECKED_IN', admittedAt: at, admittedBy: 'Gate East', admittedDevice: east }, sold2],
      },
      Date.now(),
    );
    expect(r.requeued).toBe(1);
    expect(gate.store.scans.byClientId(v.clientScanId)?.upload_state).toBe('pending');
    expect(gate.seat(sold.seatId)).toMatchObject({ admitted_at: at, admitted_by: 'Gate East', admitted_device: east });
    await gate.close();
  });

  it('re-sends when another gate of the same name admitted first: admissions are told apart by device id', async () => {
    hall = await createLocalHall();
    const gate = await GateEngine.open({ dataDir: hall.dir });
    const v = await gate.scan(hall.ticket(hall.seats.sold));
    gate.store.scans.markUploaded(v.clientScanId, Date.now());
    const twin = {
      ...hall.seats.sold,
      status: 'CHECKED_IN' as const,
      admittedAt: v.scannedAt - 5_000,
      admittedBy: 'Gate Test',
      admittedDevice: crypto.randomUUID(),
    };
    const r = applySeatBatch(gate.store, { eventId: hall.eventId, full: false, cursor: 11, seats: [twin] }, Date.now());
    expect(r.requeued).toBe(1);
    expect(gate.store.scans.byClientId(v.clientScanId)?.upload_state).toBe('pending');
    await gate.close();
  });
});

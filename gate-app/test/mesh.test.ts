import { randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  generateMeshKeyPair,
  generateSyncKeyPair,
  issueDeviceCert,
  toBase64Url,
  type MeshKeyPair,
  type SyncKeyPair,
} from '@ticketgate/crypto';
import type { mesh } from '@ticketgate/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { GateEngine, GateStore, KeyRing, SyncTrust, type ServerSeat } from '../src/engine/index.js';
import { startDiscovery } from '../src/engine/mesh/discovery.js';
import { MeshEnvelope } from '../src/engine/mesh/envelope.js';
import { MeshIdentity, meshKeyPairOf, type SelfIdentity } from '../src/engine/mesh/identity.js';
import { mergePeerRecords } from '../src/engine/mesh/merge.js';
import { createLocalHall, type LocalHall } from './helpers/local-hall.js';

const DAY = 24 * 3600_000;

/** A peer gate as the mesh sees it: its certificate (signed by `signer`) and its key; seals with its own envelope. */
function peer(signer: SyncKeyPair, o: { hallId?: string; deviceId?: string; now?: () => number } = {}) {
  const key: MeshKeyPair = generateMeshKeyPair();
  const now = o.now ?? Date.now;
  const self: SelfIdentity = {
    deviceId: o.deviceId ?? randomUUID(),
    hallId: o.hallId ?? 'HALL-A',
    name: 'Peer Gate',
    key,
    cert: issueDeviceCert(signer, {
      deviceId: o.deviceId ?? randomUUID(),
      hallId: o.hallId ?? 'HALL-A',
      name: 'Peer Gate',
      publicKey: toBase64Url(key.publicKey),
      issuedAt: Date.now() - 1000,
      expiresAt: Date.now() + DAY,
    }),
  };
  // The certificate's device id is the one that counts; keep them the same.
  self.deviceId = JSON.parse(Buffer.from(self.cert.split('.')[3]!, 'base64url').toString()).device_id as string;
  const identity = { self: () => self } as unknown as MeshIdentity;
  return { self, envelope: new MeshEnvelope(identity, now, 60_000) };
}

describe('hall mesh: what a gate believes', () => {
  let hall: LocalHall;
  let store: GateStore;
  let envelope: MeshEnvelope;
  let keyRing: KeyRing;
  let selfId: string;

  beforeEach(async () => {
    hall = await createLocalHall();
    store = GateStore.open(hall.dir);
    const device = store.device.get()!;
    selfId = device.device_id!;
    store.device.saveMeshCert(
      issueDeviceCert(hall.syncKey, {
        deviceId: selfId,
        hallId: hall.hallId,
        name: 'Gate Test',
        publicKey: toBase64Url(meshKeyPairOf(store.device).publicKey),
        issuedAt: Date.now() - 1000,
        expiresAt: Date.now() + DAY,
      }),
    );
    const identity = new MeshIdentity(store.device, store.mesh, new SyncTrust(store.device), Date.now, 30_000);
    envelope = new MeshEnvelope(identity, Date.now, 60_000);
    keyRing = new KeyRing();
    keyRing.load(store.keys.all(), device.box_key_pair);
  });
  afterEach(() => {
    store.close();
    hall.cleanup();
  });

  const record = (from: { deviceId: string }, seat: ServerSeat, at: number, seq = 1, credential = hall.ticket(seat)): mesh.MeshRecord => ({
    origin: from.deviceId,
    seq,
    admitted_by: 'Peer Gate',
    scan: {
      client_scan_id: randomUUID(),
      event_id: seat.eventId,
      seat_id: seat.seatId,
      generation: seat.generation,
      hall_id: hall.hallId,
      result: 'SUCCESS',
      reason: null,
      scanned_at: new Date(at).toISOString(),
      credential,
    },
  });
  const merge = (records: mesh.MeshRecord[]) =>
    mergePeerRecords(store, records, { verifier: keyRing.verifier, hallId: hall.hallId, selfDeviceId: selfId, now: Date.now() });

  it('accepts a signed message of a certified gate of this hall, and applies its admission like the server would', () => {
    const p = peer(hall.syncKey);
    const line = p.envelope.seal('records', { records: [record(p.self, hall.seats.sold, Date.now())] })!.line;
    const opened = envelope.open(line.trim());
    expect(opened).toMatchObject({ ok: true, peer: { deviceId: p.self.deviceId, hallId: 'HALL-A' } });
    if (!opened.ok || opened.body.type !== 'records') throw new Error('not opened');
    expect(merge(opened.body.payload.records)).toMatchObject({ stored: 1, learned: [hall.seats.sold.seatId], doubles: [] });
    expect(store.catalog.seat(hall.seats.sold.seatId)).toMatchObject({
      status: 'CHECKED_IN',
      admitted_by: 'Peer Gate',
      admitted_device: p.self.deviceId,
    });
    expect(store.mesh.digest(10)).toEqual({ [p.self.deviceId]: 1 });
  });

  it('refuses a device of another hall, whether or not the message claims this hall', () => {
    const other = peer(hall.syncKey, { hallId: 'HALL-B' });
    const honest = other.envelope.seal('digest', { digest: {} })!.line.trim();
    expect(envelope.open(honest)).toEqual({ ok: false, reason: 'message for hall HALL-B, not HALL-A' });
    // The same device lying about its hall: its certificate says otherwise.
    const liar = peer(hall.syncKey, { hallId: 'HALL-B' });
    liar.self.hallId = 'HALL-A';
    expect(envelope.open(liar.envelope.seal('digest', { digest: {} })!.line.trim())).toEqual({
      ok: false,
      reason: 'sender refused: device of hall HALL-B, not HALL-A',
    });
  });

  it('refuses a device the manifest lists as revoked, and a certificate the pinned sync key did not sign', () => {
    const p = peer(hall.syncKey);
    store.mesh.replaceRevoked([p.self.deviceId]);
    expect(envelope.open(p.envelope.seal('digest', { digest: {} })!.line.trim())).toEqual({
      ok: false,
      reason: `sender refused: device ${p.self.deviceId} is revoked`,
    });
    const forged = peer(generateSyncKeyPair());
    const r = envelope.open(forged.envelope.seal('digest', { digest: {} })!.line.trim());
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(/^sender refused: certificate signed by sync key [0-9a-f]{8}, not one this gate trusts$/);
  });

  it('refuses a replayed message, and one sent outside the time window', () => {
    const p = peer(hall.syncKey);
    const line = p.envelope.seal('records', { records: [record(p.self, hall.seats.sold, Date.now())] })!.line.trim();
    expect(envelope.open(line).ok).toBe(true);
    const again = envelope.open(line);
    expect(again.ok).toBe(false);
    expect(!again.ok && again.reason).toMatch(/already received \(replay\)$/);
    const late = peer(hall.syncKey, { now: () => Date.now() - 5 * 60_000 });
    const old = envelope.open(late.envelope.seal('digest', { digest: {} })!.line.trim());
    expect(!old.ok && old.reason).toMatch(/^sent -?\d+ s from this gate's clock \(window 60 s\)$/);
  });

  it('refuses a tampered message: a changed payload, or a signature moved onto another body', () => {
    const p = peer(hall.syncKey);
    const frame = JSON.parse(p.envelope.seal('records', { records: [record(p.self, hall.seats.sold, Date.now())] })!.line) as {
      b: string;
      s: string;
    };
    const changed = { ...frame, b: frame.b.replace(hall.seats.sold.seatId, hall.seats.sold2.seatId) };
    expect(envelope.open(JSON.stringify(changed))).toEqual({ ok: false, reason: 'signature does not match (tampered)' });
    const other = JSON.parse(p.envelope.seal('digest', { digest: {} })!.line) as { b: string; s: string };
    expect(envelope.open(JSON.stringify({ b: other.b, s: frame.s }))).toEqual({ ok: false, reason: 'signature does not match (tampered)' });
    expect(store.catalog.seat(hall.seats.sold2.seatId)?.admitted_at).toBeNull();
  });

  it("merges by the one election: an earlier peer admission beats this gate's own (a double admission, left to the server to record), a later one does not", () => {
    const p = peer(hall.syncKey);
    const at = Date.now();
    // This gate admitted seat `sold` at `at`, and seat `sold2` at `at` too.
    for (const s of [hall.seats.sold, hall.seats.sold2]) {
      store.catalog.admitLocally(s.seatId, at, { name: 'Gate Test', deviceId: selfId });
      store.scans.insert({
        clientScanId: randomUUID(),
        deviceTime: at,
        clockOffsetMs: 0,
        source: 'test',
        result: 'SUCCESS',
        reason: null,
        eventId: s.eventId,
        seatId: s.seatId,
        generation: 1,
        hallId: hall.hallId,
        credential: hall.ticket(s),
        direction: 'entry',
        zone: null,
        entryNo: 1,
      });
    }
    const report = merge([record(p.self, hall.seats.sold, at - 500, 1), record(p.self, hall.seats.sold2, at + 500, 2)]);
    expect(report).toMatchObject({ stored: 2, learned: [hall.seats.sold.seatId], doubles: [hall.seats.sold.seatId] });
    expect(store.catalog.seat(hall.seats.sold.seatId)).toMatchObject({ admitted_by: 'Peer Gate', admitted_at: at - 500 });
    expect(store.catalog.seat(hall.seats.sold2.seatId)).toMatchObject({ admitted_by: 'Gate Test', admitted_source: 'local' });
    // Both of this gate's admissions still go up: the server records the lost one as the conflict.
    expect(store.scans.pendingCount()).toBe(2);
  });

  it('refuses a record whose credential does not prove it: another seat’s code, or none', () => {
    const p = peer(hall.syncKey);
    const wrong = record(p.self, hall.seats.sold, Date.now(), 1, hall.ticket(hall.seats.sold2));
    const none = {
      ...record(p.self, hall.seats.sold, Date.now(), 2),
      scan: { ...record(p.self, hall.seats.sold, Date.now()).scan, credential: null },
    };
    const report = merge([wrong, none]);
    expect(report.stored).toBe(0);
    expect(report.refused).toEqual([
      `record ${p.self.deviceId}/1: credential names another seat, event or hall`,
      `record ${p.self.deviceId}/2: admission without its credential`,
    ]);
    expect(store.catalog.seat(hall.seats.sold.seatId)?.admitted_at).toBeNull();
  });

  it('an exit needs its credential as an admission does; an annulment frees the seat for the next admission, even when it arrives first', () => {
    const [p, q] = [peer(hall.syncKey), peer(hall.syncKey)];
    const at = Date.now();
    const annulment = (r: mesh.MeshRecord, seq: number): mesh.MeshRecord => ({
      ...r,
      seq,
      scan: { ...r.scan, direction: 'entry', annulled_at: new Date(at + 5000).toISOString() },
    });
    const exit = record(p.self, hall.seats.sold, at + 1000, 3, '');
    const bare = { ...exit, scan: { ...exit.scan, result: 'EXITED' as const, direction: 'exit' as const, credential: null } };
    // Seat `sold`: the annulment comes before the admission it annuls.
    const early = record(p.self, hall.seats.sold, at, 1);
    expect(merge([annulment(early, 2), bare])).toMatchObject({
      stored: 1,
      refused: [`record ${p.self.deviceId}/3: exit without its credential`],
    });
    expect(merge([early])).toMatchObject({ stored: 1, learned: [] });
    expect(store.catalog.seat(hall.seats.sold.seatId)?.admitted_at).toBeNull();

    // Seat `sold2`: p admitted it first, q later; p's annulment makes q's admission the seat's.
    const first = record(p.self, hall.seats.sold2, at, 4);
    const later = record(q.self, hall.seats.sold2, at + 2000, 1);
    expect(merge([first, later])).toMatchObject({ stored: 2, learned: [hall.seats.sold2.seatId] });
    expect(merge([annulment(first, 5)])).toMatchObject({ stored: 1, annulled: [hall.seats.sold2.seatId] });
    expect(store.catalog.seat(hall.seats.sold2.seatId)).toMatchObject({ admitted_at: at + 2000, admitted_device: q.self.deviceId });
    // The server's echo of p's admission, before p's upload of the annulment reached it, is not news.
    store.db.transaction(() =>
      store.catalog.upsertSeat({ ...hall.seats.sold, admittedAt: at, admittedBy: 'Peer Gate', admittedDevice: p.self.deviceId }, 0),
    )();
    expect(store.catalog.seat(hall.seats.sold.seatId)?.admitted_at).toBeNull();
  });
});

describe('hall mesh: two gate engines over loopback TCP', () => {
  let hall: LocalHall;
  const engines: GateEngine[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(engines.splice(0).map((e) => e.close()));
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
    hall.cleanup();
  });

  /** A second gate of the same hall: the hall's data folder copied, enrolled under a new device id; both certified. */
  const certify = (dir: string, deviceId?: string) => {
    const store = GateStore.open(dir);
    try {
      const d = store.device.get()!;
      if (deviceId)
        store.device.saveEnrolment({
          deviceId,
          deviceToken: 't',
          deviceName: 'Gate Two',
          hallId: hall.hallId,
          serverUrl: '',
          syncKey: d.sync_key!,
          at: Date.now(),
        });
      store.device.saveMeshCert(
        issueDeviceCert(hall.syncKey, {
          deviceId: store.device.get()!.device_id!,
          hallId: hall.hallId,
          name: store.device.get()!.device_name!,
          publicKey: toBase64Url(meshKeyPairOf(store.device).publicKey),
          issuedAt: Date.now() - 1000,
          expiresAt: Date.now() + DAY,
        }),
      );
    } finally {
      store.close();
    }
  };

  it('a gate that joins late catches up by digest, in pages, before its first verdict; pushes reach it afterwards', async () => {
    hall = await createLocalHall({ manySeats: 1200 });
    const second = mkdtempSync(join(tmpdir(), 'tg-gate-'));
    dirs.push(second);
    cpSync(hall.dir, second, { recursive: true });
    certify(hall.dir);
    certify(second, randomUUID());

    const a = await GateEngine.open({ dataDir: hall.dir, mesh: { listen: { host: '127.0.0.1', port: 0 }, peers: [], mdns: false } });
    engines.push(a);
    a.start();
    await a.startMesh();
    // 1,200 admissions at gate A before gate B exists: more than two pages of a catch-up answer.
    const verdicts = await Promise.all(hall.many.map((s) => a.scan(hall.ticket(s))));
    expect(verdicts.every((v) => v.result === 'SUCCESS')).toBe(true);

    // A generous bound: on a loaded test machine the catch-up, not the bound, must end the wait.
    const b = await GateEngine.open({
      dataDir: second,
      mesh: { peers: [{ host: '127.0.0.1', port: a.mesh()!.port! }], mdns: false, timing: { catchUpMs: 20_000 } },
    });
    engines.push(b);
    b.start();
    await b.startMesh();
    // Its very first verdict waits for the catch-up from the reachable peer.
    const first = await b.scan(hall.ticket(hall.many.at(-1)!));
    expect(first).toMatchObject({ result: 'DUPLICATE', firstAdmission: { by: 'Gate Test' } });
    const mb = b.mesh()!.status();
    expect(mb.records).toBe(1200);
    // Only what B lacked, 500 records a message: three pages and the end of the answer (plus A's digest).
    const ma = a.mesh()!.status();
    expect(ma.pushes_sent).toBe(0);
    expect(mb.messages_received).toBeLessThanOrEqual(3 + 1 + 1);

    // Now linked: a new admission at B is pushed to A, and A's answer is DUPLICATE.
    const v = await b.scan(hall.ticket(hall.seats.sold));
    expect(v.result).toBe('SUCCESS');
    await vi.waitFor(() => expect(a.seat(hall.seats.sold.seatId)?.admitted_at).not.toBeNull(), { timeout: 5000, interval: 5 });
    expect((await a.scan(hall.ticket(hall.seats.sold))).result).toBe('DUPLICATE');
    expect(b.mesh()!.status().pushes_sent).toBe(1);
    // Neither gate ever had a message refused.
    expect([a.mesh()!.status().refused, b.mesh()!.status().refused]).toEqual([0, 0]);
  });

  it('exits and annulments travel: entry at gate 1, exit at gate 2, re-entry at gate 3 (re-entry policy); an annulment frees the seat; entry → entry stays DUPLICATE', async () => {
    hall = await createLocalHall({ manySeats: 3 });
    const [reentering, annulled, twice] = hall.many as [ServerSeat, ServerSeat, ServerSeat];
    const policy = { reentry: true, max_entries: null, doors_open_at: null, last_entry_at: null, per_day: false, zones: [] };
    const setup = GateStore.open(hall.dir);
    setup.catalog.saveEvents([{ eventId: hall.eventId, name: 'Local Test Night', eventDate: '2026-06-15T19:00:00Z', seq: 10, policy }]);
    setup.close();
    const [second, third] = [mkdtempSync(join(tmpdir(), 'tg-gate-')), mkdtempSync(join(tmpdir(), 'tg-gate-'))];
    dirs.push(second, third);
    cpSync(hall.dir, second, { recursive: true });
    cpSync(hall.dir, third, { recursive: true });
    certify(hall.dir);
    certify(second, randomUUID());
    certify(third, randomUUID());

    const g1 = await GateEngine.open({ dataDir: hall.dir, mesh: { listen: { host: '127.0.0.1', port: 0 }, peers: [], mdns: false } });
    engines.push(g1);
    g1.start();
    await g1.startMesh();
    // start() began listening already: wait for the port.
    const port = await vi.waitFor(() => g1.mesh()!.port ?? Promise.reject(new Error('not listening yet')), { timeout: 5000, interval: 5 });
    const at1 = { host: '127.0.0.1', port };
    const g2 = await GateEngine.open({ dataDir: second, mesh: { peers: [at1], mdns: false } });
    engines.push(g2);
    g2.start();
    await g2.startMesh();
    const heard = (g: GateEngine, n: number) =>
      vi.waitFor(() => expect(g.mesh()!.status().records).toBe(n), { timeout: 5000, interval: 5 });

    // Entry at gate 1, exit at gate 2 (which heard of the entry by push).
    expect((await g1.scan(hall.ticket(reentering))).result).toBe('SUCCESS');
    await heard(g2, 1);
    expect((await g2.scan(hall.ticket(reentering), 'api', 'exit')).result).toBe('EXITED');
    // Entry at gate 1, and gate 2 refuses it while it stands; then gate 1's turnstile annuls it (nobody passed).
    const admitted = await g1.scan(hall.ticket(annulled));
    await heard(g2, 3);
    expect((await g2.scan(hall.ticket(annulled))).result).toBe('DUPLICATE');
    expect(g1.annul(admitted)).toBe(true);
    // The exit and the annulment reached gate 1 and gate 2 respectively, by push.
    await heard(g1, 4);
    await heard(g2, 4);
    expect(g2.seat(annulled.seatId)?.admitted_at).toBeNull();
    expect((await g2.scan(hall.ticket(annulled))).result).toBe('SUCCESS');

    // Gate 3 joins late: it catches up on the exit and the annulment by digest before its first verdict.
    const g3 = await GateEngine.open({ dataDir: third, mesh: { peers: [at1], mdns: false, timing: { catchUpMs: 20_000 } } });
    engines.push(g3);
    g3.start();
    await g3.startMesh();
    const reentry = await g3.scan(hall.ticket(reentering));
    expect(reentry).toMatchObject({ result: 'SUCCESS', reEntry: true });
    // Gate 2 admitted it after the annulment: that admission stands.
    expect((await g3.scan(hall.ticket(annulled))).result).toBe('DUPLICATE');
    // Gate 3's re-entry reaches gate 1: the ticket is inside again, a further entry is DUPLICATE.
    await heard(g1, 6);
    expect((await g1.scan(hall.ticket(reentering))).result).toBe('DUPLICATE');

    // Without an exit, entry → entry at another gate stays DUPLICATE under the re-entry policy.
    expect((await g1.scan(hall.ticket(twice))).result).toBe('SUCCESS');
    await heard(g3, 7);
    expect((await g3.scan(hall.ticket(twice))).result).toBe('DUPLICATE');
    expect([g1, g2, g3].map((g) => g.mesh()!.status().refused)).toEqual([0, 0, 0]);
  });
});

describe('hall mesh: mDNS discovery', () => {
  it('gates of one hall find each other by mDNS; a gate of another hall is neither reported nor reports them', async () => {
    // Halls and devices of this run only, so parallel runs on the same network do not see each other.
    const hallA = `A-${randomUUID().slice(0, 6)}`;
    const hallB = `B-${randomUUID().slice(0, 6)}`;
    const seen: Record<'a' | 'b' | 'c', string[]> = { a: [], b: [], c: [] };
    const problems: string[] = [];
    const start = (who: keyof typeof seen, hallId: string, port: number) =>
      startDiscovery(
        { hallId, deviceId: randomUUID(), port },
        (p) => seen[who].push(String(p.port)),
        (m) => problems.push(m),
      );
    const found = await Promise.all([start('a', hallA, 17301), start('b', hallA, 17302), start('c', hallB, 17303)]);
    try {
      await vi.waitFor(
        () => {
          expect(seen.a).toContain('17302');
          expect(seen.b).toContain('17301');
        },
        { timeout: 10_000, interval: 50 },
      );
      expect([...seen.a, ...seen.b]).not.toContain('17303');
      expect(seen.c).toEqual([]);
      expect(problems).toEqual([]);
    } finally {
      await Promise.all(found.map((d) => d.stop()));
    }
  });
});

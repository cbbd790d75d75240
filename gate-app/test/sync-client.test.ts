import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import {
  encodeIssuingPublicKey,
  encodeSyncPublicKey,
  endorseSyncKey,
  generateSyncKeyPair,
  signSync,
  type SyncKeyPair,
  type SyncSignedKind,
} from '@ticketgate/crypto';
import { sync } from '@ticketgate/protocol';
import { ApiClient, Connectivity, GateClock, GateEngine, IntegrityError, NetworkError, ServerError } from '../src/engine/index.js';
import { until } from './e2e/harness.js';
import { createLocalHall, type LocalHall } from './helpers/local-hall.js';

// The sync client against a scripted stand-in server, for the orderings the
// real server produces only by chance (the end-to-end tests use the real one).
type Handler = (req: IncomingMessage, body: unknown, res: ServerResponse) => void;

async function fakeServer(handler: Handler): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => handler(req, text ? (JSON.parse(text) as unknown) : undefined, res));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, server };
}

const reply = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

/** A success reply signed the way the real server signs it (docs/sync-protocol.md). */
const signedReply = (req: IncomingMessage, res: ServerResponse, key: SyncKeyPair, kind: SyncSignedKind, body: unknown) => {
  const bytes = Buffer.from(JSON.stringify(body));
  res.writeHead(200, {
    'content-type': 'application/json',
    [sync.SIGNATURE_HEADER]: signSync(key, kind, String(req.headers[sync.NONCE_HEADER]), bytes),
  });
  res.end(bytes);
};

interface UploadBody {
  version?: number;
  scans: { client_scan_id: string; seat_id: string | null; result: string; scanned_at: string; credential?: string | null }[];
  backlog: number;
}

describe('sync client', () => {
  let hall: LocalHall | undefined;
  let gate: GateEngine | undefined;
  let server: Server | undefined;
  afterEach(async () => {
    await gate?.close();
    server?.closeAllConnections();
    await new Promise((r) => (server ? server.close(r) : r(undefined)));
    hall?.cleanup();
  });

  it("learns a conflict even when another gate's earlier admission overtakes its own accepted upload", async () => {
    hall = await createLocalHall();
    const { seats, eventId } = hall;
    const earlier = new Date(Date.now() - 60_000).toISOString();
    const gateOne = crypto.randomUUID();
    const uploads: UploadBody[] = [];
    const fake = await fakeServer((req, body, res) => {
      const b = body as UploadBody;
      uploads.push(b);
      const id = b.scans[0]!.client_scan_id;
      if (uploads.length === 1) {
        // The other gate's promotion reaches us (live stream) before our own reply does.
        gate!.store.catalog.learnAdmission(eventId, seats.sold.seatId, Date.parse(earlier), { name: 'Gate One', deviceId: gateOne });
        return signedReply(req, res, hall!.syncKey, 'scans', {
          success: true,
          data: { accepted: [id], conflicts: [], rejected: [], server_time: new Date().toISOString() },
        });
      }
      const canonical = { event_id: eventId, seat_id: seats.sold.seatId, scanned_at: earlier, device_id: gateOne, admitted_by: 'Gate One' };
      signedReply(req, res, hall!.syncKey, 'scans', {
        success: true,
        data: {
          accepted: [id],
          conflicts: [{ client_scan_id: id, seat_id: seats.sold.seatId, canonical }],
          rejected: [],
          server_time: new Date().toISOString(),
        },
      });
    });
    server = fake.server;
    gate = await GateEngine.open({ dataDir: hall.dir, serverUrl: fake.url });
    // Scanned with a scanner's suffix: the proof is the code as the verifier read it.
    const ticket = hall.ticket(seats.sold);
    const v = await gate.scan(`${ticket.toLowerCase()}\r\n`);
    const pusher = gate.sync()!.pusher;

    const first = await pusher.once();
    expect(first).toMatchObject({ accepted: 1, conflicts: 0, remaining: 1 });
    expect(gate.store.scans.byClientId(v.clientScanId)?.upload_state).toBe('pending');
    const second = await pusher.once();
    expect(second).toMatchObject({ conflicts: 1, newConflicts: 1, remaining: 0 });
    expect(uploads[1]!.scans[0]!.client_scan_id).toBe(v.clientScanId);
    // Upload version 2: the admission travels with its proof, the code as it was scanned.
    expect(uploads[0]).toMatchObject({ version: sync.SCAN_UPLOAD_VERSION, scans: [{ result: 'SUCCESS', credential: ticket }] });
    expect(gate.status()).toMatchObject({ conflicts: 1, backlog: 0 });
    expect(gate.store.scans.byClientId(v.clientScanId)?.upload_state).toBe('conflict');
    expect((await pusher.once()).sent).toBe(0);
  });

  it('never resends rejected scans, and uploads the corrected scan time', async () => {
    hall = await createLocalHall();
    const uploads: UploadBody[] = [];
    const fake = await fakeServer((req, body, res) => {
      const b = body as UploadBody;
      uploads.push(b);
      signedReply(req, res, hall!.syncKey, 'scans', {
        success: true,
        data: {
          accepted: [],
          conflicts: [],
          rejected: b.scans.map((s) => ({ client_scan_id: s.client_scan_id, reason: 'unknown seat' })),
          server_time: new Date().toISOString(),
        },
      });
    });
    server = fake.server;
    gate = await GateEngine.open({ dataDir: hall.dir, serverUrl: fake.url });
    const v = await gate.scan(hall.ticket(hall.seats.held));
    expect(await gate.sync()!.pusher.once()).toMatchObject({ sent: 1, rejected: 1, remaining: 0 });
    // A refusal carries no credential: the gate sends no more than an admission needs.
    expect(uploads[0]!.scans[0]).toMatchObject({ result: 'UNPAID', credential: null });
    expect(gate.store.scans.byClientId(v.clientScanId)).toMatchObject({ upload_state: 'rejected', upload_note: 'unknown seat' });
    expect(gate.status().rejected_uploads).toBe(1);
  });

  it('stops and says so when the server answers DEVICE_REVOKED, and keeps verifying', async () => {
    hall = await createLocalHall();
    const fake = await fakeServer((_req, _body, res) =>
      reply(res, 403, { success: false, error_code: 'DEVICE_REVOKED', message: 'This gate device has been revoked.' }),
    );
    server = fake.server;
    gate = await GateEngine.open({ dataDir: hall.dir, serverUrl: fake.url, timing: { initialBackoffMs: 20, maxBackoffMs: 50 } });
    const revoked = new Promise<string>((r) => gate!.once('revoked', r));
    gate.start();
    expect(await revoked).toMatch(/DEVICE_REVOKED/);
    const status = gate.status();
    expect(status).toMatchObject({ revoked: true, connectivity: 'offline' });
    expect(status.warnings[0]).toMatch(/^DEVICE REVOKED/);
    expect((await gate.scan(hall.ticket(hall.seats.sold))).result).toBe('SUCCESS');
    await gate.close();
    // Still revoked after a restart: no sync at all.
    gate = await GateEngine.open({ dataDir: hall.dir, serverUrl: fake.url });
    gate.start();
    expect(gate.status().revoked).toBe(true);
  });

  it('says the device is unknown while the server refuses its token as unknown, and keeps verifying', async () => {
    hall = await createLocalHall();
    const fake = await fakeServer((_req, _body, res) =>
      reply(res, 401, { success: false, error_code: 'UNAUTHORIZED', message: 'Unknown device token.' }),
    );
    server = fake.server;
    gate = await GateEngine.open({ dataDir: hall.dir, serverUrl: fake.url, timing: { initialBackoffMs: 20, maxBackoffMs: 50 } });
    expect(gate.status().device_unknown).toBe(false);
    gate.start();
    await until('unknown', () => gate!.status().device_unknown, 10_000);
    expect(gate.status()).toMatchObject({ revoked: false, enrolled: true });
    expect((await gate.scan(hall.ticket(hall.seats.sold))).result).toBe('SUCCESS');
  });

  it('goes offline when the server is unreachable and backs off instead of hammering it', async () => {
    hall = await createLocalHall();
    let requests = 0;
    const fake = await fakeServer((_req, _body, res) => {
      requests++;
      res.destroy(); // connection reset: no HTTP answer at all
    });
    server = fake.server;
    gate = await GateEngine.open({ dataDir: hall.dir, serverUrl: fake.url, timing: { initialBackoffMs: 100, maxBackoffMs: 400 } });
    gate.start();
    await until('offline', () => gate!.status().connectivity === 'offline', 10_000);
    const before = requests;
    await new Promise((r) => setTimeout(r, 1_200));
    // Three loops, each waiting at least 200 ms (half of the 400 ms ceiling) between attempts once backed off.
    expect(requests - before).toBeLessThanOrEqual(3 * 7);
    expect(gate.status().link.last_error).toBeTruthy();
    // The verdict does not depend on the network.
    expect((await gate.scan(hall.ticket(hall.seats.sold))).result).toBe('SUCCESS');
  });

  it("reads refusals with the protocol's error envelope: a known code is a refusal, anything else is not our server", async () => {
    const answers: [number, unknown][] = [
      [403, { success: false, error_code: 'DEVICE_REVOKED', message: 'revoked by an operator' }],
      [403, { success: false, error_code: 'NO_SUCH_CODE', message: 'from some other service' }],
      [401, { error: 'nope' }],
    ];
    const fake = await fakeServer((_req, _body, res) => reply(res, ...answers.shift()!));
    server = fake.server;
    const connectivity = new Connectivity(Date.now);
    const key = generateSyncKeyPair();
    const api = new ApiClient({
      baseUrl: fake.url,
      token: () => 't',
      clock: new GateClock(Date.now, 10_000),
      connectivity,
      syncKey: () => key,
    });
    const call = () => api.get('/api/sync/hall', { schema: sync.HallManifest, signed: { kind: 'hall' } });
    const refused = await call().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ServerError);
    expect(refused).toMatchObject({ status: 403, code: 'DEVICE_REVOKED' });
    await expect(call()).rejects.toBeInstanceOf(NetworkError);
    await expect(call()).rejects.toThrow(/not a TicketGate reply/);
  });

  /** A manifest of the local hall as the server would send it, with the given sync key chain. */
  const manifest = (h: LocalHall, deviceId: string, chain: sync.SyncKeyLink[]) => ({
    success: true,
    data: {
      hall_id: h.hallId,
      hall_name: 'Main Arena',
      venue_name: 'Test Venue',
      device_id: deviceId,
      device_name: 'Gate Test',
      issuing_keys: [encodeIssuingPublicKey(h.issuing)],
      sync_keys: chain,
      events: [],
      server_time: new Date().toISOString(),
    },
  });
  const link = (key: SyncKeyPair, by?: SyncKeyPair): sync.SyncKeyLink => ({
    public_key: encodeSyncPublicKey(key),
    endorsed_by: by ? by.kid : null,
    endorsement: by ? endorseSyncKey(by, key) : null,
  });

  it('follows a sync key rotation only along a chain endorsed from the pinned key', async () => {
    hall = await createLocalHall();
    const h = hall;
    const [next, rogue, stranger] = [generateSyncKeyPair(), generateSyncKeyPair(), generateSyncKeyPair()];
    let answer: { key: SyncKeyPair; chain: sync.SyncKeyLink[] } = { key: next, chain: [] };
    const fake = await fakeServer((req, _body, res) =>
      signedReply(req, res, answer.key, 'hall', manifest(h, gate!.status().device_id!, answer.chain)),
    );
    server = fake.server;
    gate = await GateEngine.open({ dataDir: h.dir, serverUrl: fake.url });
    const puller = gate.sync()!.puller;
    const pinned = () => gate!.store.device.get()!.sync_key;

    // A key nobody endorsed, and one endorsed by a key this gate never pinned: refused, the pin stays.
    answer = { key: rogue, chain: [link(h.syncKey), link(rogue)] };
    await expect(puller.manifest()).rejects.toThrow(IntegrityError);
    answer = { key: rogue, chain: [link(h.syncKey), link(rogue, stranger)] };
    await expect(puller.manifest()).rejects.toThrow(/not endorsed by/);
    answer = { key: stranger, chain: [link(stranger)] };
    await expect(puller.manifest()).rejects.toThrow(/does not contain the pinned key/);
    expect(pinned()).toBe(encodeSyncPublicKey(h.syncKey));

    // The real rotation: endorsed by the pinned key, the manifest signed by the new one.
    answer = { key: next, chain: [link(h.syncKey), link(next, h.syncKey)] };
    await puller.manifest();
    expect(pinned()).toBe(encodeSyncPublicKey(next));
    // From now on the old key's signature is not enough, even with the same chain.
    answer = { key: h.syncKey, chain: [link(h.syncKey), link(next, h.syncKey)] };
    await expect(puller.manifest()).rejects.toThrow(/signed with key/);
  });

  it('a signed reply whose server time is an hour off does not move the clock; the steward is told', async () => {
    hall = await createLocalHall();
    const h = hall;
    let shift = 0;
    const fake = await fakeServer((req, _body, res) => {
      const m = manifest(h, gate!.status().device_id!, [link(h.syncKey)]);
      m.data.server_time = new Date(Date.now() + shift).toISOString();
      signedReply(req, res, h.syncKey, 'hall', m);
    });
    server = fake.server;
    gate = await GateEngine.open({ dataDir: h.dir, serverUrl: fake.url });
    const puller = gate.sync()!.puller;
    await puller.manifest();
    const learned = gate.status().clock_offset_ms!;
    expect(Math.abs(learned)).toBeLessThan(1000);
    shift = 3_600_000;
    await puller.manifest();
    const status = gate.status();
    expect(Math.abs(status.clock_offset_ms! - learned)).toBeLessThan(1000);
    expect(status.clock_jump_refused_ms).toBeGreaterThan(3_590_000);
    expect(status.warnings.join('\n')).toMatch(/server time jumped by 36\d\d\.\d s: refused/);
    shift = 0;
    await puller.manifest();
    expect(gate.status()).toMatchObject({ clock_jump_refused_ms: null });
  });
});

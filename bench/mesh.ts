// The hall mesh of issue 17 on loopback, without a server: N gate processes
// (the headless CLI, as a venue runs it, with --mesh and static --peer lists,
// mDNS off), certified by a sync key of this run. This process is the load
// generator: it admits a ticket at one gate through its local API and polls the
// other gates' local API until each knows the admission. Printed next to two
// raw baselines of the same run: a bare TCP echo round trip on loopback, and a
// round trip of the local API read the polling uses (the floor of what it can see).
//   npx tsx bench/mesh.ts [--tickets 150] [--sizes 3,8]
// Target: p99 well under 1 s; messages per admission = peers pushed to (n−1 up to the fan-out of 16).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  encodeDeviceKeyPair,
  encodeIssuingPublicKey,
  encodeSyncPublicKey,
  generateDeviceKeyPair,
  generateGateKey,
  generateIssuingKeyPair,
  generateSyncKeyPair,
  issueCredential,
  issueDeviceCert,
  ready,
  sealGateKey,
  toBase64Url,
} from '@ticketgate/crypto';
import { applySeatBatch, GateStore, readLocalApiToken, type ServerSeat } from '../gate-app/src/engine/index.js';
import { meshKeyPairOf } from '../gate-app/src/engine/mesh/identity.js';
import { intArg } from './lib/args.js';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
const TICKETS = intArg('tickets', 150);
const SIZES = (process.argv.find((a) => a.startsWith('--sizes='))?.slice(8) ?? '3,8').split(',').map(Number);
const HALL = 'BENCH';

await ready();
const sync = generateSyncKeyPair();
const issuing = generateIssuingKeyPair();
const gateKey = generateGateKey();
const eventId = randomUUID();

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const ms = (n: number) => `${n.toFixed(2)} ms`;

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

/** A gate data folder as enrolment and a first sync leave it: pinned sync key, sealed gate key, sold seats, a mesh certificate. */
function enrolledFolder(name: string, seats: ServerSeat[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'tg-bench-mesh-'));
  const store = GateStore.open(dir);
  try {
    const box = generateDeviceKeyPair();
    const deviceId = randomUUID();
    store.device.boxKeyPair(() => encodeDeviceKeyPair(box));
    store.device.saveEnrolment({
      deviceId,
      deviceToken: 'bench',
      deviceName: name,
      hallId: HALL,
      serverUrl: '',
      syncKey: encodeSyncPublicKey(sync),
      at: Date.now(),
    });
    store.device.saveHall('Bench Hall', 'Bench Venue', name);
    store.catalog.saveEvents([{ eventId, name: 'Bench Night', eventDate: new Date().toISOString(), seq: 1 }]);
    store.keys.replace(
      { gate: [{ kid: gateKey.kid, eventId, sealed: sealGateKey(gateKey, box.publicKey) }], issuing: [encodeIssuingPublicKey(issuing)] },
      () => issuing.kid,
    );
    applySeatBatch(store, { eventId, full: true, cursor: 1, seats }, Date.now());
    store.device.saveMeshCert(
      issueDeviceCert(sync, {
        deviceId,
        hallId: HALL,
        name,
        publicKey: toBase64Url(meshKeyPairOf(store.device).publicKey),
        issuedAt: Date.now() - 1000,
        expiresAt: Date.now() + 3600_000,
      }),
    );
  } finally {
    store.close();
  }
  return dir;
}

interface Gate {
  dir: string;
  url: string;
  child: ChildProcess;
  api(path: string, init?: RequestInit): Promise<Response>;
}

async function startGate(name: string, dir: string, meshPort: number, peers: number[]): Promise<Gate> {
  const httpPort = await freePort();
  const args = ['--import', 'tsx', 'gate-app/src/cli.ts', '--data', dir, '--http', `127.0.0.1:${httpPort}`, '--no-mdns'];
  args.push('--mesh', `127.0.0.1:${meshPort}`, ...peers.flatMap((p) => ['--peer', `127.0.0.1:${p}`]));
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['pipe', 'ignore', 'pipe'] });
  let log = '';
  child.stderr!.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-4000)));
  const url = `http://127.0.0.1:${httpPort}`;
  const gate: Gate = {
    dir,
    url,
    child,
    api: (path, init = {}) =>
      fetch(url + path, { ...init, headers: { ...init.headers, authorization: `Bearer ${readLocalApiToken(dir)}` } }),
  };
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`${name} exited:\n${log}`);
    try {
      if ((await gate.api('/status')).ok) return gate;
    } catch {
      /* not up yet */
    }
    if (i > 600) throw new Error(`${name} did not start:\n${log}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

type MeshStatus = { links: { peer_id: string | null }[]; pushes_sent: number; messages_sent: number };
const meshOf = async (g: Gate) => ((await (await g.api('/status')).json()) as { mesh: MeshStatus }).mesh;

/** Bare TCP echo round trips on loopback (one byte each way). */
async function tcpBaseline(n: number): Promise<number[]> {
  const server = createServer((s) => s.on('data', (d) => s.write(d)));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const socket = connect((server.address() as AddressInfo).port, '127.0.0.1');
  socket.setNoDelay(true);
  await new Promise((r) => socket.once('connect', r));
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await new Promise<void>((r) => {
      socket.once('data', () => r());
      socket.write('x');
    });
    out.push(performance.now() - t);
  }
  socket.destroy();
  await new Promise((r) => server.close(r));
  return out;
}

async function run(size: number): Promise<void> {
  const seats: ServerSeat[] = Array.from({ length: TICKETS }, (_, i) => ({
    seatId: randomUUID(),
    eventId,
    row: 'A',
    number: i + 1,
    category: 'CAT1',
    status: 'SOLD',
    generation: 1,
    holder: null,
    admittedAt: null,
    admittedBy: null,
    admittedDevice: null,
  }));
  const ports = await Promise.all(Array.from({ length: size }, () => freePort()));
  const dirs = ports.map((_, i) => enrolledFolder(`Bench Gate ${i + 1}`, seats));
  const gates: Gate[] = [];
  try {
    for (let i = 0; i < size; i++)
      gates.push(
        await startGate(
          `gate ${i + 1}`,
          dirs[i]!,
          ports[i]!,
          ports.filter((_, j) => j !== i),
        ),
      );
    // Every gate linked to every other, each peer identified by its certificate.
    for (const g of gates) {
      for (;;) {
        const m = await meshOf(g);
        if (new Set(m.links.map((l) => l.peer_id).filter(Boolean)).size === size - 1) break;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    const before = await Promise.all(gates.map(meshOf));
    const apiRtt: number[] = [];
    const propagation: number[] = [];
    for (const [i, seat] of seats.entries()) {
      const at = gates[i % size]!;
      const others = gates.filter((g) => g !== at);
      const code = issueCredential(
        { seatId: seat.seatId, eventId, hallCode: HALL, generation: 1, issuedAt: Math.floor(Date.now() / 1000) },
        { issuing, gate: gateKey },
      );
      const t = performance.now();
      await (await at.api(`/seats/${seats[(i + 1) % seats.length]!.seatId}`)).json();
      apiRtt.push(performance.now() - t);
      const res = await at.api('/scan', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ payload: code }),
      });
      const v = (await res.json()) as { result: string };
      if (v.result !== 'SUCCESS') throw new Error(`scan ${i}: ${v.result}`);
      const t0 = performance.now();
      // The time until the LAST other gate knows: every gate of the hall would now answer DUPLICATE.
      await Promise.all(
        others.map(async (g) => {
          for (;;) {
            const s = (await (await g.api(`/seats/${seat.seatId}`)).json()) as { admitted: boolean };
            if (s.admitted) return;
            // Not a busy loop: on a small machine eight pollers would starve the gates they measure.
            await new Promise((r) => setTimeout(r, 1));
          }
        }),
      );
      propagation.push(performance.now() - t0);
    }
    const after = await Promise.all(gates.map(meshOf));
    const pushes = after.reduce((n, m, i) => n + m.pushes_sent - before[i]!.pushes_sent, 0);
    const messages = after.reduce((n, m, i) => n + m.messages_sent - before[i]!.messages_sent, 0);
    const tcp = await tcpBaseline(500);
    console.log(`\n${size} gates, ${TICKETS} admissions (each at one gate, round robin; measured until every other gate knows it):`);
    console.log(
      `  propagation        p50 ${ms(pct(propagation, 50))}  p99 ${ms(pct(propagation, 99))}  max ${ms(Math.max(...propagation))}`,
    );
    console.log(`  baseline TCP echo  p50 ${ms(pct(tcp, 50))}  p99 ${ms(pct(tcp, 99))}   (bare loopback round trip)`);
    console.log(
      `  baseline local API p50 ${ms(pct(apiRtt, 50))}  p99 ${ms(pct(apiRtt, 99))}   (GET /seats/:id, what the polling reads: its floor)`,
    );
    console.log(
      `  messages per admission: ${(pushes / TICKETS).toFixed(2)} pushes, ${(messages / TICKETS).toFixed(2)} all messages incl. digests and their answers`,
    );
  } finally {
    for (const g of gates) g.child.kill('SIGTERM');
    await Promise.all(gates.map((g) => new Promise((r) => (g.child.exitCode !== null ? r(null) : g.child.once('exit', r)))));
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
}

for (const size of SIZES) await run(size);

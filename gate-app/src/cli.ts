// process: cli (Node, headless; runs the engine in-process)
// Headless gate: the engine without the kiosk UI, for servers, tests and
// debugging. Scans come from stdin lines, a serial scanner (--serial) or the
// scanners of a hardware config (--hardware); verdicts go to stdout as JSON
// lines and to the local HTTP API (--http).
//
//   npm run gate -- --server URL --enrol CODE --data DIR --http 127.0.0.1:PORT [--serial PATH] [--hardware config.json]
//                   [--mesh HOST:PORT] [--peer HOST:PORT ...] [--no-mdns]
import { existsSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import {
  Backoff,
  createGateHttpServer,
  GateEngine,
  InsecureServerUrlError,
  isLoopbackHost,
  listenGateHttp,
  NetworkError,
  parseAddress,
  ServerError,
  SupervisorDesk,
  wireTurnstile,
  writeLocalApiToken,
  type ScannerState,
  type SupervisorOptions,
  type SyncTiming,
} from './engine/index.js';

const USAGE = `usage: npm run gate -- --data DIR [--server URL] [--enrol CODE] [--http HOST:PORT [--http-public]]
                      [--serial PATH] [--hardware config.json] [--name NAME] [--hide-holder-names]
                      [--skew SECONDS] [--step-skew STEPS] [--time-zone ZONE] [--poll-ms MS] [--max-backoff-ms MS]
                      [--ca FILE] [--allow-insecure-http] [--direction entry|exit]
                      [--mesh HOST:PORT] [--peer HOST:PORT ...] [--no-mdns] [--mesh-anti-entropy-ms MS]

  --data DIR        gate data folder (SQLite snapshot, scans, device identity); required
  --server URL      sync server (https://; http:// only to this machine); remembered at enrolment
  --ca FILE         PEM CA certificate to trust for the server's certificate, besides the system roots
                    (or TICKETGATE_CA_FILE)
  --allow-insecure-http
                    accept a plain http:// server on another machine (the kiosk warns about it permanently)
                    (or TICKETGATE_ALLOW_INSECURE_HTTP=1)
  --enrol CODE      one-time enrolment code (first start, or after a revocation)
  --http HOST:PORT  local API for the kiosk UI (POST /scan, GET /status) on a loopback address
                    (127.0.0.1, [::1], localhost); every API request needs the launch token
                    written to DIR/local-api-token (Authorization: Bearer <token>)
  --http-public     allow a non-loopback --http address (the hall network can then reach the
                    API; the token, Host and Origin checks still apply)
  --hide-holder-names  store and show no holder names (verdicts and /seats carry none)
  --serial PATH     a serial barcode scanner (CR-terminated, 9600 8N1)
  --hardware FILE   scanners and turnstile output (JSON, see docs/hardware.md)
  --name NAME       this gate's name at enrolment (shown as "admitted by")
  --direction DIR   entry (default) or exit: the direction of scans that do not name theirs
                    (a scanner's own "direction" in --hardware, a POST /scan "direction" win)
  --skew SECONDS    clock skew allowed on code times (default 10)
  --step-skew STEPS device-bound codes: 15-second steps a phone clock may be off (default 1)
  --ui DIR          kiosk UI files served at / (default: the built renderer next to this program)
  --mesh HOST:PORT  join the hall mesh (docs/mesh.md), listening for peer gates there (e.g. 0.0.0.0:7300)
  --peer HOST:PORT  a peer gate's mesh address (repeat for each, or a comma-separated list; for networks without multicast)
  --no-mdns         do not announce or discover peers by mDNS (static --peer list only)
  --mesh-anti-entropy-ms MS
                    how often digests are exchanged with every peer besides each (re)connect (default 10000)`;

const log = (msg: string) => process.stderr.write(`${new Date().toISOString()} gate: ${msg}\n`);

function options() {
  try {
    const { values } = parseArgs({
      options: {
        data: { type: 'string' },
        server: { type: 'string' },
        enrol: { type: 'string' },
        http: { type: 'string' },
        'http-public': { type: 'boolean' },
        'hide-holder-names': { type: 'boolean' },
        serial: { type: 'string' },
        hardware: { type: 'string' },
        name: { type: 'string' },
        ui: { type: 'string' },
        skew: { type: 'string' },
        'step-skew': { type: 'string' },
        'time-zone': { type: 'string' },
        'poll-ms': { type: 'string' },
        'max-backoff-ms': { type: 'string' },
        ca: { type: 'string' },
        'allow-insecure-http': { type: 'boolean' },
        mesh: { type: 'string' },
        peer: { type: 'string', multiple: true },
        'no-mdns': { type: 'boolean' },
        'mesh-anti-entropy-ms': { type: 'string' },
        direction: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    });
    if (values.help) {
      console.log(USAGE);
      process.exit(0);
    }
    // An empty value (an unset variable in a systemd unit's ExecStart) means the option is absent.
    for (const [k, v] of Object.entries(values)) if (v === '') delete values[k as keyof typeof values];
    if (!values.data) throw new Error('--data is required');
    if (values.direction !== undefined && values.direction !== 'entry' && values.direction !== 'exit')
      throw new Error('--direction must be entry or exit');
    if (values.http) {
      const { host } = parseAddress(values.http);
      // The API admits people: reachable from the hall network only when someone says so.
      if (!isLoopbackHost(host) && !values['http-public'])
        throw new Error(`--http ${values.http} is not a loopback address: add --http-public to serve it there`);
    }
    const num = (v: string | undefined, what: string) => {
      if (v === undefined) return undefined;
      const n = Number(v);
      if (!Number.isFinite(n) || n < 0) throw new Error(`${what} must be a non-negative number`);
      return n;
    };
    // A list in one value too (--peer A:1,B:2): a systemd unit passes one environment variable as one word.
    const peers = (values.peer ?? [])
      .flatMap((p) => p.split(','))
      .filter((p) => p.trim() !== '')
      .map((p) => parseAddress(p.trim(), '--peer'));
    const meshListen = values.mesh ? parseAddress(values.mesh, '--mesh') : undefined;
    return {
      ...values,
      data: values.data,
      meshOptions:
        meshListen || peers.length
          ? {
              ...(meshListen ? { listen: meshListen } : {}),
              peers,
              mdns: !values['no-mdns'],
              ...(values['mesh-anti-entropy-ms'] !== undefined
                ? { timing: { antiEntropyMs: num(values['mesh-anti-entropy-ms'], '--mesh-anti-entropy-ms')! } }
                : {}),
            }
          : undefined,
      direction: values.direction as 'entry' | 'exit' | undefined,
      skew: num(values.skew, '--skew'),
      stepSkew: num(values['step-skew'], '--step-skew'),
      pollMs: num(values['poll-ms'], '--poll-ms'),
      maxBackoffMs: num(values['max-backoff-ms'], '--max-backoff-ms'),
    };
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${USAGE}\n`);
    process.exit(2);
  }
}

/** Enrols, retrying while the server is unreachable; a refused code is final. */
async function enrol(engine: GateEngine, code: string, name: string | undefined, stopping: AbortSignal): Promise<void> {
  const backoff = new Backoff({ maxMs: 30_000 });
  for (;;) {
    try {
      await engine.enrol(code, name);
      return;
    } catch (err) {
      if (err instanceof ServerError) throw err;
      if (!(err instanceof NetworkError)) throw err;
      const wait = backoff.next();
      log(`enrolment: server unreachable (${err.message}); retrying in ${(wait / 1000).toFixed(1)} s`);
      await new Promise((r) => setTimeout(r, wait));
      if (stopping.aborted) throw new Error('stopped before enrolment');
    }
  }
}

async function main(): Promise<void> {
  const o = options();
  const timing: Partial<SyncTiming> = {
    ...(o.pollMs !== undefined ? { pollIntervalMs: o.pollMs } : {}),
    ...(o.maxBackoffMs !== undefined ? { maxBackoffMs: o.maxBackoffMs } : {}),
  };
  const engine = await GateEngine.open({
    dataDir: o.data,
    ...(o.server ? { serverUrl: o.server } : {}),
    // The environment too: the Electron kiosk starts this program with its own environment.
    ...(o.ca || process.env.TICKETGATE_CA_FILE ? { caFile: o.ca ?? process.env.TICKETGATE_CA_FILE! } : {}),
    allowInsecureHttp: o['allow-insecure-http'] ?? process.env.TICKETGATE_ALLOW_INSECURE_HTTP === '1',
    ...(o.skew !== undefined ? { skewSeconds: o.skew } : {}),
    ...(o.stepSkew !== undefined ? { stepSkew: o.stepSkew } : {}),
    ...(o['time-zone'] ? { timeZone: o['time-zone'] } : {}),
    ...(o.name ? { name: o.name } : {}),
    ...(o['hide-holder-names'] ? { holderNames: false } : {}),
    ...(o.meshOptions ? { mesh: o.meshOptions } : {}),
    ...(o.direction ? { direction: o.direction } : {}),
    timing,
  });

  const stopping = new AbortController();
  let http: Server | undefined;
  const cleanups: (() => Promise<void> | void)[] = [];
  const shutdown = async (signal: string) => {
    if (stopping.signal.aborted) return;
    stopping.abort();
    log(`${signal}: shutting down`);
    const force = setTimeout(() => process.exit(1), 10_000).unref();
    for (const c of cleanups.reverse()) await Promise.resolve(c()).catch((err: unknown) => log(`shutdown: ${(err as Error).message}`));
    if (http) {
      http.closeAllConnections();
      await new Promise((r) => http!.close(r));
    }
    await engine.close();
    clearTimeout(force);
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  // A folder enrolled before signed sync has no pinned sync key: a code given now enrols it again.
  if (o.enrol && (!engine.isEnrolled() || engine.isRevoked() || !engine.hasPinnedSyncKey())) {
    if (!engine.serverUrl()) throw new UsageError('--enrol needs --server URL');
    await enrol(engine, o.enrol, o.name, stopping.signal);
    log(`enrolled as ${engine.status().device_id} in hall ${engine.status().hall_id}`);
  } else if (o.enrol) {
    log('already enrolled: the enrolment code is not needed and was not used');
  }
  if (!engine.isEnrolled() && !o.http)
    throw new UsageError(
      'this data folder has no enrolled gate: start once with --server URL --enrol CODE, or with --http to enrol from the kiosk screen',
    );

  engine.on('problem', (m) => log(m));
  engine.on('connectivity', (s) => log(`connectivity: ${s}`));
  engine.on('revoked', (note) => log(`DEVICE REVOKED: ${note}. Verifying from the last snapshot; re-enrol with a new code.`));
  engine.on('verdict', (v) => process.stdout.write(`${JSON.stringify(engine.view(v))}\n`));
  // Enrolled from the kiosk screen (first start, or a revoked gate given a new code).
  engine.on('enrolled', (id) => {
    log(`enrolled from the kiosk as ${id} in hall ${engine.status().hall_id}`);
    engine.start();
  });

  const hardware = await startHardware(engine, o, cleanups);
  if (o.http) {
    const uiDir = o.ui ?? builtRenderer();
    // A new token each launch, unless the Electron shell hands in the one its window already holds.
    const token = writeLocalApiToken(o.data, process.env.TICKETGATE_LOCAL_API_TOKEN || undefined);
    const supervisor = new SupervisorDesk({ pin: process.env.TICKETGATE_SUPERVISOR_PIN, now: Date.now, ...hardware });
    http = createGateHttpServer(engine, { token, public: o['http-public'] ?? false, ...(uiDir ? { uiDir } : {}), supervisor });
    const { url } = await listenGateHttp(http, o.http);
    log(`local API on ${url} (launch token in ${o.data}/local-api-token)`);
  }

  const stdin = createInterface({ input: process.stdin, terminal: false });
  stdin.on('line', (line) => {
    const text = line.trim();
    if (!text) return;
    engine.scan(text, 'stdin').catch((err: unknown) => log(`scan not recorded: ${(err as Error).message}`));
  });
  cleanups.push(() => stdin.close());
  cleanups.push(() => engine.sync()?.stop());

  if (!engine.isEnrolled()) {
    log('not enrolled: waiting for an enrolment code on the kiosk screen');
    return;
  }
  engine.start();
  if (o.meshOptions) {
    await engine.startMesh();
    const m = engine.mesh()?.status();
    log(
      `mesh: ${m?.listening ? `listening on ${m.listening}` : 'not listening'}, ${o.meshOptions.peers.length} static peer(s), mDNS ${o.meshOptions.mdns ? 'on' : 'off'}`,
    );
  }
  const d = engine.status();
  if (d.transport_warning) log(d.transport_warning);
  log(
    `ready: ${d.device_name} (${d.device_id}) in hall ${d.hall_id}, server ${d.server_url}${engine.isRevoked() ? ' — REVOKED, offline verification only' : ''}`,
  );
}

class UsageError extends Error {}

/** The kiosk renderer: dist/renderer beside the bundled dist/cli.js, or gate-app/dist/renderer in a checkout. */
function builtRenderer(): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, 'renderer'), join(here, '../dist/renderer')];
  // Packaged: cli.js runs from app.asar.unpacked while the renderer stays inside app.asar.
  candidates.push(...candidates.map((c) => c.replace(`app.asar.unpacked`, 'app.asar')));
  // app.js marks a built renderer: in a checkout, src/renderer (beside src/cli.ts) holds only the sources.
  return candidates.find((c) => existsSync(join(c, 'index.html')) && existsSync(join(c, 'app.js')));
}

/** Scanners and the turnstile output; what the supervisor view shows and tests. */
async function startHardware(
  engine: GateEngine,
  o: { serial?: string | undefined; hardware?: string | undefined },
  cleanups: (() => Promise<void> | void)[],
): Promise<Pick<SupervisorOptions, 'relay' | 'scanners'>> {
  if (!o.serial && !o.hardware) return {};
  const hw = await import('@ticketgate/hardware');
  const raw = o.hardware ? (JSON.parse(readFileSync(o.hardware, 'utf8')) as { scanners?: unknown[] }) : { scanners: [] };
  if (o.serial) raw.scanners = [...(raw.scanners ?? []), { type: 'serial', id: 'cli-serial', path: o.serial }];
  const config = hw.parseHardwareConfig(raw);
  const opened = hw.openScanners(config);
  // A scanner on the exit side of a door says so in its config; the others take the gate's direction.
  const directions = hw.scannerDirections(config, opened);
  const scanners = hw.mergeScanners(opened, { dedupeWindowMs: config.dedupeWindowMs });
  scanners.on('scan', (s) => {
    engine
      .scan(s.text, s.sourceId, directions.get(s.sourceId))
      .catch((err: unknown) => log(`scan not recorded: ${(err as Error).message}`));
  });
  scanners.on('problem', (m) => log(`scanner: ${m}`));
  scanners.on('status', (st, detail) => log(`scanners: ${st}${detail ? ` (${detail})` : ''}`));
  cleanups.push(() => scanners.stop());
  // A scanner that is unplugged at start is retried by the driver; the gate starts anyway.
  await scanners.start();
  const output = hw.openOutput(config.output);
  if (output) {
    output.on('problem', (m) => log(`turnstile: ${m}`));
    const sensor = hw.openPassageSensor(config.passage);
    if (sensor) {
      sensor.on('problem', (m) => log(`passage sensor: ${m}`));
      await sensor.start();
      cleanups.push(() => sensor.close());
    }
    const stop = wireTurnstile(
      engine,
      output,
      (m) => log(m),
      sensor && config.passage
        ? {
            sensor,
            timeoutMs: config.passage.timeoutMs,
            annul: (v) => {
              if (engine.annul(v)) log(`no passage within ${config.passage!.timeoutMs} ms: scan ${v.clientScanId} annulled`);
            },
            confirmed: (v) => engine.confirmPassage(v),
          }
        : undefined,
    );
    cleanups.push(stop);
    cleanups.push(() => output.close());
    log(
      `turnstile output ${output.id} (${output.kind}) opens on SUCCESS and EXITED only` +
        (sensor ? `; passage sensor ${sensor.id} (${sensor.kind}) confirms within ${config.passage!.timeoutMs} ms` : ''),
    );
  }
  const scannerStates = (): ScannerState[] =>
    Object.entries(scanners.statuses()).map(([id, st]) => ({ id, state: st.status, detail: st.detail ?? null }));
  return { scanners: scannerStates, ...(output ? { relay: output } : {}) };
}

main().catch((err: unknown) => {
  log(err instanceof ServerError ? `the server refused: ${err.message}` : (err as Error).message);
  process.exit(err instanceof UsageError || err instanceof ServerError || err instanceof InsecureServerUrlError ? 2 : 1);
});

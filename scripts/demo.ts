// process: node (demo launcher)
// `npm run demo`: the compiled sync server on its embedded PostgreSQL with demo
// data, plus one demo gate for HALL-A enrolled against it, each its own process.
//   npm run demo                   both; Ctrl-C stops both
//   npm run demo -- --server-only  the server alone (what `npm start` runs, same ./data)
//   npm run demo -- --gate-only    the demo gate alone, against the server at PORT (8000)
// Two terminals, one with --gate-only and one with `npm start`, let the server be
// stopped and started under a running gate: the offline trial of docs/gate.md.
// The launcher never loads the server itself: it only starts and stops processes.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { kiosk } from '@ticketgate/protocol';
import { buildRenderer } from '../gate-app/scripts/build-renderer.js';
import { buildWebApp } from '../web/scripts/build.js';

const root = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const serverOnly = args.includes('--server-only');
const gateOnly = args.includes('--gate-only');
const unknown = args.filter((a) => a !== '--server-only' && a !== '--gate-only');
if (unknown.length || (serverOnly && gateOnly)) {
  console.error('usage: npm run demo [-- --server-only | --gate-only]');
  process.exit(2);
}

const PORT = Number(process.env.PORT || 8000);
const GATE_PORT = Number(process.env.DEMO_GATE_PORT ?? 8100);
const gateData = resolve(root, process.env.DEMO_GATE_DATA ?? 'data/gate-hall-a');
const base = `http://127.0.0.1:${PORT}`;
/** A path as the user types it from the checkout: relative inside it, absolute elsewhere. */
const shown = (path: string) => (path.startsWith(`${root}/`) ? relative(root, path) : path);
const children = new Map<string, ChildProcess>();

async function api<T>(path: string, init: RequestInit & { token?: string } = {}): Promise<T> {
  const res = await fetch(`${base}${path}`, {
    ...init,
    headers: { 'content-type': 'application/json', ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) },
  });
  const body = (await res.json()) as { success: boolean; data: T; message?: string };
  if (!res.ok || !body.success) throw new Error(`${path}: ${res.status} ${body.message ?? ''}`);
  return body.data;
}

async function enrolmentCode(): Promise<string> {
  const { access_token } = await api<{ access_token: string }>('/api/auth/login', {
    method: 'POST',
    body: JSON.stringify({ email: 'operator@demo.ticketgate.test', password: 'demo-pass-123' }),
  });
  const { code } = await api<{ code: string }>('/api/sync/enrolments', {
    method: 'POST',
    token: access_token,
    body: JSON.stringify({ hall_id: 'HALL-A' }),
  });
  return code;
}

async function serverUp(): Promise<boolean> {
  try {
    return (await fetch(`${base}/health`)).ok;
  } catch {
    return false;
  }
}

/** Starts a child in this terminal; when the last one ends, so does the launcher. */
function start(name: string, command: string, argv: string[], env: NodeJS.ProcessEnv = process.env): ChildProcess {
  const child = spawn(command, argv, { cwd: root, env, stdio: ['ignore', 'inherit', 'inherit'] });
  children.set(name, child);
  child.on('exit', (code, signal) => {
    children.delete(name);
    if (!stopping) console.error(`${name} exited (${signal ?? code})`);
    if (children.size === 0) process.exit(!failed && (stopping || code === 0) ? 0 : 1);
  });
  return child;
}

async function startServer(): Promise<void> {
  await buildWebApp(); // the fan web app the sync server serves at /
  // Request logs would drown the demo's own output; LOG_LEVEL=info brings them back.
  const env = { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' };
  const server = start('sync server', process.execPath, ['--enable-source-maps', 'sync-server/dist/main.js'], env);
  for (;;) {
    if (server.exitCode !== null) throw new Error('the sync server did not start (see above)');
    if (await serverUp()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function startGate(): Promise<void> {
  const argv = ['gate-app/src/cli.ts', '--server', base, '--data', gateData, '--http', `127.0.0.1:${GATE_PORT}`];
  // With the server up the gate always gets a code: the CLI uses it only for a folder not enrolled yet,
  // or one enrolled before signed sync (no pinned sync key), and ignores it otherwise.
  if (await serverUp()) argv.push('--enrol', await enrolmentCode(), '--name', 'Demo gate HALL-A');
  else if (!existsSync(resolve(gateData, 'gate.sqlite')))
    throw new Error(`the demo gate is not enrolled yet and no server answers at ${base}: start it first (npm start)`);
  await buildRenderer(); // the kiosk UI the demo gate serves at /
  start('demo gate', process.execPath, ['--import', 'tsx', ...argv]);
}

let stopping = false;
let failed = false;
function stop() {
  if (stopping) return;
  stopping = true;
  // From a terminal the children got the same SIGINT; from `kill` they did not.
  for (const child of children.values()) child.kill('SIGTERM');
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
process.on('SIGHUP', stop);

try {
  if (!gateOnly) await startServer();
  if (!serverOnly) await startGate();
} catch (err) {
  console.error(`demo: ${(err as Error).message}`);
  failed = true;
  stop();
  if (children.size === 0) process.exit(1);
}

if (!failed) {
  console.log(
    [
      '',
      'TicketGate demo',
      gateOnly
        ? `  sync server   not started here (${base}; npm start runs it)`
        : `  fan app       http://localhost:${PORT}/   (log in as fan@demo.ticketgate.test; docs/fan-app.md)\n  console       http://localhost:${PORT}/console   (operators and admins: operator@ or admin@demo.ticketgate.test; docs/operations.md)\n  sync server   http://localhost:${PORT}/api   (API docs: http://localhost:${PORT}/docs)`,
      serverOnly
        ? '  demo gate     not started here (npm run demo -- --gate-only)'
        : `  demo gate     http://127.0.0.1:${GATE_PORT}   (kiosk UI; POST /scan, GET /status)`,
      // The gate's API takes only requests with the launch token it writes to its data folder at every start.
      ...(serverOnly
        ? []
        : [
            `  gate API      curl -H "authorization: Bearer $(cat ${shown(gateData)}/${kiosk.LOCAL_API_TOKEN_FILE})" http://127.0.0.1:${GATE_PORT}/status`,
          ]),
      '  accounts      fan@, fan2@, flagged@, staff@, operator@, admin@demo.ticketgate.test — password demo-pass-123',
      '  try it        docs/operations.md#demo walks through buying a ticket and scanning it at the gate',
      '  offline       run the gate and the server in two terminals (npm run demo -- --gate-only, npm start) to stop one alone',
      '  Ctrl-C stops everything started here.',
      '',
    ].join('\n'),
  );
}

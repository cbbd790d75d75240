// process: node (demo launcher)
// `npm run demo`: the sync server on its embedded PostgreSQL with demo data,
// plus one demo gate for HALL-A enrolled against it, both stopped by Ctrl-C.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildRenderer } from '../gate-app/scripts/build-renderer.js';
import { buildWebApp } from '../web/scripts/build.js';
import { loadConfig } from '../sync-server/src/config.js';
import { startServer } from '../sync-server/src/server.js';

const root = resolve(import.meta.dirname, '..');
const GATE_PORT = Number(process.env.DEMO_GATE_PORT ?? 8100);
const gateData = resolve(root, process.env.DEMO_GATE_DATA ?? 'data/gate-hall-a');

async function api<T>(base: string, path: string, init: RequestInit & { token?: string } = {}): Promise<T> {
  const res = await fetch(`${base}${path}`, {
    ...init,
    headers: { 'content-type': 'application/json', ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) },
  });
  const body = (await res.json()) as { success: boolean; data: T; message?: string };
  if (!res.ok || !body.success) throw new Error(`${path}: ${res.status} ${body.message ?? ''}`);
  return body.data;
}

async function enrolmentCode(base: string): Promise<string> {
  const { access_token } = await api<{ access_token: string }>(base, '/api/auth/login', {
    method: 'POST',
    body: JSON.stringify({ email: 'operator@demo.ticketgate.test', password: 'demo-pass-123' }),
  });
  const { code } = await api<{ code: string }>(base, '/api/sync/enrolments', {
    method: 'POST',
    token: access_token,
    body: JSON.stringify({ hall_id: 'HALL-A' }),
  });
  return code;
}

await buildRenderer(); // the kiosk UI the demo gate serves at /
await buildWebApp(); // the fan web app the sync server serves at /
// Request logs would drown the demo's own output; LOG_LEVEL=info brings them back.
process.env.LOG_LEVEL ??= 'warn';
const config = loadConfig();
const server = await startServer(config);
const base = `http://127.0.0.1:${config.PORT}`;

let gate: ChildProcess | undefined;
try {
  const args = ['gate-app/src/cli.ts', '--server', base, '--data', gateData, '--http', `127.0.0.1:${GATE_PORT}`];
  if (!existsSync(resolve(gateData, 'gate.sqlite'))) args.push('--enrol', await enrolmentCode(base), '--name', 'Demo gate HALL-A');
  gate = spawn(resolve(root, 'node_modules/.bin/tsx'), args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
} catch (err) {
  console.error(`demo gate not started: ${(err as Error).message}`);
}

console.log(
  [
    '',
    `TicketGate demo`,
    `  fan app       http://localhost:${config.PORT}/   (log in as fan@demo.ticketgate.test; docs/fan-app.md)`,
    `  sync server   http://localhost:${config.PORT}/api   (API docs: http://localhost:${config.PORT}/docs)`,
    gate ? `  demo gate     http://127.0.0.1:${GATE_PORT}   (kiosk UI; POST /scan, GET /status)` : '  demo gate     not running',
    `  accounts      ${server.seed?.accounts.map((a) => a.email).join(', ')} — password demo-pass-123`,
    '  try it        docs/operations.md#demo walks through buying a ticket and scanning it at the gate',
    '  Ctrl-C stops everything.',
    '',
  ].join('\n'),
);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  gate?.kill('SIGTERM');
  await server.close();
  process.exit(0);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());

// Plays the gate engine's local HTTP API for kiosk renderer tests: serves a built
// renderer, records every POST /scan and answers /status with whatever the test
// set (completed with neutral defaults and checked against the local API's
// schemas, so the stub cannot drift from the contract). Like the engine, it puts
// a launch token into the page and refuses API calls without it, so the renderer
// is tested sending it. The engine itself has its own tests.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { kiosk } from '@ticketgate/protocol';
import { readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { injectToken, newLocalApiToken } from '../../src/engine/index.js';

export interface StubScan {
  payload: string;
  source: string;
}

export interface KioskStub {
  base: string;
  scans: StubScan[];
  status: Record<string, unknown>;
  close(): Promise<void>;
}

const VERDICT: Omit<kiosk.VerdictReply, 'result' | 'message' | 'scan_id' | 'scanned_at'> = {
  reason: null, seat_id: null, row: null, number: null, category: null, holder: null, event_id: null, event_name: null,
  generation: null, correct_hall: null, first_admitted_at: null, first_admitted_by: null,
};

const STATUS: kiosk.GateStatus = {
  device_id: null, device_name: null, hall_id: null, hall_name: null, venue_name: null, server_url: null,
  enrolled: true, enrolled_at: null, revoked: false, revoked_at: null, revocation: null, connectivity: 'online',
  link: { last_success_at: null, last_failure_at: null, last_error: null, consecutive_failures: 0, latency_ms: null, stream_connected: false },
  last_sync_at: null, last_push_at: null, backlog: 0, rejected_uploads: 0,
  counts: { SUCCESS: 0, DUPLICATE: 0, UNPAID: 0, NOT_FOUND: 0, WRONG_HALL: 0, EXPIRED: 0, QR_INVALID: 0 },
  total_scans: 0, clock_offset_ms: null, clock_warning: false, clock_message: null, clock_skew_ms: 10_000,
  conflicts: 0, recent_conflicts: [], events: [], keys: { gate: 0, issuing: 0 }, warnings: [], problems: [],
};

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json' };

export async function startKioskStub(dist: string, verdictFor: (scan: StubScan) => Record<string, unknown>): Promise<KioskStub> {
  const stub = { base: '', scans: [] as StubScan[], status: {} as Record<string, unknown>, close: async () => {} };
  const token = newLocalApiToken();
  const server = createServer((req, res) => {
    if ((req.url === '/scan' || req.url === '/status') && req.headers.authorization !== `Bearer ${token}`) {
      res.statusCode = 401;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ error: 'UNAUTHORISED', message: 'missing or wrong launch token' } satisfies kiosk.KioskError));
      return;
    }
    if (req.method === 'POST' && req.url === '/scan') {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const scan = JSON.parse(body) as StubScan;
        stub.scans.push(scan);
        res.setHeader('content-type', 'application/json');
        const verdict = kiosk.VerdictReply.parse({ ...VERDICT, scan_id: randomUUID(), scanned_at: new Date().toISOString(), ...verdictFor(scan) });
        res.end(JSON.stringify(verdict));
      });
      return;
    }
    if (req.url === '/status') {
      res.setHeader('content-type', 'application/json');
      const status = { ...STATUS, ...stub.status, counts: { ...STATUS.counts, ...(stub.status.counts as object | undefined) } };
      res.end(JSON.stringify(kiosk.GateStatus.parse(status)));
      return;
    }
    const file = (req.url ?? '/').split('?')[0] === '/' ? 'index.html' : (req.url ?? '').slice(1).split('?')[0]!;
    try {
      const raw = readFileSync(join(dist, file));
      const data = file === 'index.html' ? injectToken(raw.toString('utf8'), token) : raw;
      res.setHeader('content-type', TYPES[extname(file)] ?? 'application/octet-stream');
      res.end(data);
    } catch {
      res.statusCode = 404;
      res.end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  stub.base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  stub.close = () => new Promise<void>((r) => server.close(() => r()));
  return stub;
}

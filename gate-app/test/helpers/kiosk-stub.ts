// Plays the gate engine's local HTTP API for kiosk renderer tests: serves a built
// renderer, records every POST /scan (and lists them on GET /scans), every
// enrolment and relay test, checks the supervisor PIN against `pin`, and answers
// /status with whatever the test set (completed with neutral defaults and checked
// against the local API's schemas, so the stub cannot drift from the contract).
// Like the engine, it puts a launch token into the page and refuses API calls
// without it, so the renderer is tested sending it. The engine itself has its own tests.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
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
  enrols: kiosk.KioskEnrolRequest[];
  /** Answers POST /enrol: an error code refuses the code. */
  enrolAnswer: 'ok' | 'ENROL_REFUSED';
  pin: string;
  relayTests: number;
  close(): Promise<void>;
}

const VERDICT: Omit<kiosk.VerdictReply, 'result' | 'message' | 'scan_id' | 'scanned_at'> = {
  reason: null,
  seat_id: null,
  row: null,
  number: null,
  category: null,
  holder: null,
  event_id: null,
  event_name: null,
  generation: null,
  correct_hall: null,
  correct_hall_name: null,
  correct_venue_name: null,
  first_admitted_at: null,
  first_admitted_by: null,
  direction: 'entry',
  correct_zone: null,
  re_entry: false,
};

const STATUS: kiosk.GateStatus = {
  device_id: null,
  device_name: null,
  hall_id: null,
  hall_name: null,
  venue_name: null,
  server_url: null,
  time_zone: 'UTC',
  enrolled: true,
  enrolled_at: null,
  revoked: false,
  revoked_at: null,
  revocation: null,
  device_unknown: false,
  connectivity: 'online',
  link: {
    last_success_at: null,
    last_failure_at: null,
    last_error: null,
    consecutive_failures: 0,
    latency_ms: null,
    stream_connected: false,
  },
  last_sync_at: null,
  last_push_at: null,
  backlog: 0,
  rejected_uploads: 0,
  counts: {
    SUCCESS: 0,
    DUPLICATE: 0,
    UNPAID: 0,
    NOT_FOUND: 0,
    WRONG_HALL: 0,
    EXPIRED: 0,
    QR_INVALID: 0,
    NOT_YET_OPEN: 0,
    ENTRY_CLOSED: 0,
    WRONG_ZONE: 0,
    ENTRY_LIMIT: 0,
    EXITED: 0,
    NOT_INSIDE: 0,
  },
  total_scans: 0,
  clock_offset_ms: null,
  clock_warning: false,
  clock_message: null,
  clock_skew_ms: 10_000,
  clock_jump_refused_ms: null,
  sync_integrity: 'ok',
  sync_integrity_message: null,
  sync_integrity_at: null,
  sync_refusals: 0,
  transport: 'http-loopback',
  transport_warning: null,
  conflicts: 0,
  recent_conflicts: [],
  events: [],
  keys: { gate: 0, issuing: 0 },
  direction: 'entry',
  occupancy: { inside: 0, entries: 0, exits: 0, zones: [] },
  warnings: [],
  problems: [],
};

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json' };

function json(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => resolve(JSON.parse(body || 'null')));
  });
}

export async function startKioskStub(dist: string, verdictFor: (scan: StubScan) => Record<string, unknown>): Promise<KioskStub> {
  const stub: KioskStub = {
    base: '',
    scans: [],
    status: {},
    enrols: [],
    enrolAnswer: 'ok',
    pin: '2468',
    relayTests: 0,
    close: async () => {},
  };
  const journal: kiosk.ScanLogEntry[] = [];
  const post = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readBody(req);
    if (req.url === '/scan') {
      const scan = body as StubScan;
      stub.scans.push(scan);
      // As the engine: no identity, no verdicts.
      if (stub.status.enrolled === false) return json(res, 503, { error: 'NOT_ENROLLED', message: 'this gate is not enrolled' });
      const verdict = kiosk.VerdictReply.parse({
        ...VERDICT,
        scan_id: randomUUID(),
        scanned_at: new Date().toISOString(),
        ...verdictFor(scan),
      });
      journal.unshift({
        seq: journal.length + 1,
        client_scan_id: verdict.scan_id,
        device_time: Date.parse(verdict.scanned_at),
        clock_offset_ms: 0,
        source: scan.source,
        result: verdict.result,
        reason: verdict.reason,
        event_id: verdict.event_id,
        seat_id: verdict.seat_id,
        generation: verdict.generation,
        hall_id: null,
        upload_state: 'pending',
        uploaded_at: null,
        upload_note: null,
        direction: verdict.direction,
        annulled_at: null,
        zone: null,
        entry_no: null,
      });
      return json(res, 200, verdict);
    }
    if (req.url === '/enrol') {
      const enrol = kiosk.KioskEnrolRequest.parse(body);
      stub.enrols.push(enrol);
      if (stub.enrolAnswer !== 'ok')
        return json(res, 400, { error: stub.enrolAnswer, message: 'the server refused the code: ENROLMENT_INVALID: unknown or used code' });
      stub.status = { ...stub.status, enrolled: true, revoked: false, device_id: randomUUID(), hall_id: 'HALL-A' };
      return json(res, 200, { device_id: stub.status.device_id, hall_id: 'HALL-A' });
    }
    if (req.url?.startsWith('/supervisor/')) {
      const { pin } = kiosk.SupervisorRequest.parse(body);
      if (pin !== stub.pin) return json(res, 403, { error: 'PIN_REFUSED', message: 'wrong PIN' });
      if (req.url === '/supervisor/relay-test') {
        stub.relayTests++;
        return json(res, 200, { pulsed_at: new Date().toISOString() });
      }
      return json(res, 200, { relay: true, scanners: [{ id: 'usb-hid-1', state: 'connected', detail: null }] });
    }
    json(res, 404, { error: 'NOT_FOUND', message: 'no such route' });
  };
  const token = newLocalApiToken();
  const server = createServer((req, res) => {
    const api = /^\/(scan|status|scans|enrol|supervisor\/.*)(\?.*)?$/.test(req.url ?? '');
    if (api && req.headers.authorization !== `Bearer ${token}`) {
      return json(res, 401, { error: 'UNAUTHORISED', message: 'missing or wrong launch token' } satisfies kiosk.KioskError);
    }
    if (req.method === 'POST') {
      void post(req, res);
      return;
    }
    if (req.url?.startsWith('/scans')) {
      const { limit } = kiosk.ScansQuery.parse({ limit: new URL(req.url, 'http://stub').searchParams.get('limit') ?? 50 });
      return json(res, 200, kiosk.ScansReply.parse(journal.slice(0, limit)));
    }
    if (req.url === '/status') {
      const status = { ...STATUS, ...stub.status, counts: { ...STATUS.counts, ...(stub.status.counts as object | undefined) } };
      return json(res, 200, kiosk.GateStatus.parse(status));
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

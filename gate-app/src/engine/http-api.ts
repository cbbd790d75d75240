// process: engine
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';
import { kiosk } from '@ticketgate/protocol';
import { z } from 'zod';
import { NotEnrolledError, type GateEngine } from './gate-engine.js';
import type { PinCheck, SupervisorDesk } from './supervisor.js';
import { NetworkError, ServerError } from './sync/api-client.js';
import { hostAllowed, refuseApiRequest, type LocalApiPolicy } from './local-api-guard.js';
import { seatView } from './views.js';

const Uuid = z.uuid();
const MAX_BODY = 16 * 1024;

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: kiosk.KioskErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface GateHttpOptions {
  /** The kiosk UI's files, served at / (docs/decisions/0003). */
  uiDir?: string;
  /** The launch token every API request must carry (local-api-token.ts writes it to the data folder). */
  token: string;
  /** `--http-public`: answer to IP-literal Hosts besides loopback (local-api-guard.ts). */
  public?: boolean;
  /** The supervisor view's PIN check, relay and scanners; without it the view stays shut. */
  supervisor?: SupervisorDesk;
}

/** The API's routes; every other GET is a static file of the kiosk UI. */
const API_PATHS = /^\/(scan|status|scans|seats(\/.*)?|enrol|supervisor\/(unlock|relay-test))$/;

/**
 * The gate's local HTTP API, for the kiosk UI and tests. Bound to the given
 * address only (127.0.0.1 unless `--http-public`): it admits people, so every
 * API request must pass the guard (local-api-guard.ts: Host, Origin, launch
 * token, JSON body) before anything is read, recorded or pulsed. Requests and
 * replies are the `kiosk` schemas of @ticketgate/protocol (the renderer parses
 * every reply with them).
 *
 *   POST /scan {"payload": "..."}  → the verdict (always 200 when a verdict was recorded)
 *   GET  /status                  → connectivity, last sync, backlog, counts, clock, conflicts, device, revoked
 *   GET  /seats/:seat_id          → the seat as this gate knows it
 *   GET  /scans?limit=N           → the latest scans
 *   POST /enrol {"code": "..."}    → enrols an unenrolled or revoked gate from the kiosk screen
 *   POST /supervisor/unlock {"pin"} → scanners and relay for the supervisor view (PIN from the environment)
 *   POST /supervisor/relay-test {"pin"} → pulses the turnstile relay once
 *   GET  /, /app.js, …            → the kiosk UI's static files, when `uiDir` is given; no token needed,
 *                                   and index.html carries the token only when the Host is allowed
 */
export function createGateHttpServer(engine: GateEngine, opts: GateHttpOptions): Server {
  const uiDir = opts.uiDir ? resolve(opts.uiDir) : undefined;
  return createServer((req, res) => {
    const policy: LocalApiPolicy = { token: opts.token, port: req.socket.localPort ?? 0, public: opts.public ?? false };
    handle(engine, req, res, uiDir, policy, opts.supervisor).catch((err: unknown) => {
      const e =
        err instanceof HttpError ? err : err instanceof NotEnrolledError ? new HttpError(503, 'NOT_ENROLLED', err.message) : undefined;
      // Internal failures (disk full, database gone) are reported without details: nothing was admitted.
      send<kiosk.KioskError>(res, e?.status ?? 500, {
        error: e?.code ?? 'INTERNAL_ERROR',
        message: e?.message ?? 'the scan could not be recorded',
      });
      if (!e) engine.emit('problem', `local API: ${(err as Error).message}`);
    });
  });
}

export async function listenGateHttp(server: Server, address: string): Promise<{ host: string; port: number; url: string }> {
  const { host, port } = parseAddress(address);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const a = server.address() as AddressInfo;
  const shown = a.family === 'IPv6' ? `[${a.address}]` : a.address;
  return { host: a.address, port: a.port, url: `http://${shown}:${a.port}` };
}

export function parseAddress(address: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(address.trim());
  if (!m) throw new Error(`--http expects HOST:PORT (e.g. 127.0.0.1:7000), got ${JSON.stringify(address)}`);
  const port = Number(m[3]);
  if (port > 65535) throw new Error(`port out of range: ${port}`);
  return { host: m[1] ?? m[2]!, port };
}

async function handle(
  engine: GateEngine,
  req: IncomingMessage,
  res: ServerResponse,
  uiDir: string | undefined,
  policy: LocalApiPolicy,
  supervisor: SupervisorDesk | undefined,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://gate.local');
  const path = url.pathname.replace(/\/+$/, '') || '/';
  if (!API_PATHS.test(path)) {
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpError(405, 'METHOD_NOT_ALLOWED', 'use GET');
    if (!uiDir) throw new HttpError(404, 'NOT_FOUND', 'no such route');
    const file = path === '/' ? 'index.html' : decodeURIComponent(path.slice(1));
    // The page learns the token only when it was asked for under a name the gate answers to.
    const token = file === 'index.html' && hostAllowed(req.headers.host, policy) ? policy.token : undefined;
    return sendStatic(res, uiDir, file, token);
  }
  const refusal = refuseApiRequest(
    {
      host: req.headers.host,
      origin: req.headers.origin,
      authorization: req.headers.authorization,
      'content-type': req.headers['content-type'],
    },
    req.method === 'POST' || req.method === 'PUT' || req.method === 'PATCH',
    policy,
  );
  if (refusal) {
    // Refused before the body is read: drain nothing, keep nothing.
    res.setHeader('connection', 'close');
    throw new HttpError(refusal.status, refusal.code, refusal.message);
  }
  if (path === '/scan') {
    const body = await postBody(req, kiosk.ScanRequest);
    const verdict = await engine.scan(body.payload, body.source ?? 'http', body.direction);
    return send<kiosk.VerdictReply>(res, 200, engine.view(verdict));
  }
  if (path === '/enrol')
    return send<kiosk.KioskEnrolReply>(res, 200, await enrolFromKiosk(engine, await postBody(req, kiosk.KioskEnrolRequest)));
  if (path === '/supervisor/unlock') {
    const desk = unlock(supervisor, await postBody(req, kiosk.SupervisorRequest));
    return send<kiosk.SupervisorReply>(res, 200, { relay: desk.hasRelay(), scanners: desk.scanners() });
  }
  if (path === '/supervisor/relay-test') {
    const desk = unlock(supervisor, await postBody(req, kiosk.SupervisorRequest));
    if (!desk.hasRelay()) throw new HttpError(409, 'NO_RELAY', 'this gate drives no turnstile relay');
    const at = await desk.relayTest().catch((err: unknown) => {
      throw new HttpError(502, 'RELAY_FAILED', `the relay did not answer: ${(err as Error).message}`);
    });
    return send<kiosk.RelayTestReply>(res, 200, { pulsed_at: new Date(at).toISOString() });
  }
  if (req.method !== 'GET') throw new HttpError(405, 'METHOD_NOT_ALLOWED', 'use GET');
  if (path === '/status') return send<kiosk.GateStatus>(res, 200, engine.status());
  if (path.startsWith('/seats/')) {
    const id = Uuid.safeParse(decodeURIComponent(path.slice('/seats/'.length)));
    if (!id.success) throw new HttpError(400, 'INVALID_UUID', 'seat id must be a UUID');
    const seat = engine.seat(id.data.toLowerCase());
    if (!seat) throw new HttpError(404, 'SEAT_NOT_FOUND', 'this gate has no such seat');
    return send<kiosk.SeatReply>(res, 200, seatView(seat));
  }
  if (path === '/scans') {
    const { limit } = kiosk.ScansQuery.parse({ limit: url.searchParams.get('limit') ?? 50 });
    return send<kiosk.ScanLogEntry[]>(res, 200, engine.store.scans.recent(limit));
  }
  throw new HttpError(404, 'NOT_FOUND', 'no such route');
}

async function postBody<T extends z.ZodType>(req: IncomingMessage, schema: T): Promise<z.infer<T>> {
  if (req.method !== 'POST') throw new HttpError(405, 'METHOD_NOT_ALLOWED', 'use POST');
  const parsed = schema.safeParse(await readJson(req));
  if (!parsed.success)
    throw new HttpError(400, 'VALIDATION_ERROR', parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
  return parsed.data;
}

/** Only a gate without a working identity enrols from its screen: a passer-by cannot re-home an enrolled gate. */
async function enrolFromKiosk(engine: GateEngine, body: kiosk.KioskEnrolRequest): Promise<kiosk.KioskEnrolReply> {
  if (engine.isEnrolled() && !engine.isRevoked())
    throw new HttpError(409, 'ALREADY_ENROLLED', 'this gate is enrolled; an operator must revoke it first');
  const server = engine.serverUrl() ?? body.server_url;
  if (!server)
    throw new HttpError(400, 'VALIDATION_ERROR', "this gate does not know its server: show it the operator's enrolment QR, which names it");
  try {
    await engine.enrol(body.code, body.name, server);
  } catch (err) {
    if (err instanceof ServerError) throw new HttpError(400, 'ENROL_REFUSED', `the server refused the code: ${err.message}`);
    if (err instanceof NetworkError) throw new HttpError(503, 'SERVER_UNREACHABLE', `the server is unreachable: ${err.message}`);
    throw err;
  }
  const s = engine.status();
  return { device_id: s.device_id ?? '', hall_id: s.hall_id ?? '' };
}

const PIN_ERRORS: Record<Exclude<PinCheck, 'ok'>, HttpError> = {
  refused: new HttpError(403, 'PIN_REFUSED', 'wrong PIN'),
  locked: new HttpError(429, 'PIN_LOCKED', 'too many wrong PINs: wait a minute'),
  no_pin: new HttpError(403, 'NO_SUPERVISOR_PIN', 'no supervisor PIN is set on this gate (TICKETGATE_SUPERVISOR_PIN)'),
};

function unlock(desk: SupervisorDesk | undefined, body: kiosk.SupervisorRequest): SupervisorDesk {
  const result = desk ? desk.check(body.pin) : 'no_pin';
  if (result !== 'ok') throw PIN_ERRORS[result];
  return desk!;
}

/**
 * The kiosk page with the launch token in a `<meta>` the renderer reads
 * (kiosk.LOCAL_API_TOKEN_META), placed right after `<head>` so no script of
 * the page runs before it exists.
 */
export function injectToken(html: string, token: string): string {
  const meta = `<meta name="${kiosk.LOCAL_API_TOKEN_META}" content="${token}">`;
  const at = /<head[^>]*>/i.exec(html);
  return at ? html.slice(0, at.index + at[0].length) + meta + html.slice(at.index + at[0].length) : meta + html;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

async function sendStatic(res: ServerResponse, root: string, relative: string, token: string | undefined): Promise<void> {
  const file = resolve(join(root, relative));
  // Only files inside the UI folder, whatever the path says (../, encoded or not).
  if (!file.startsWith(root + sep)) throw new HttpError(404, 'NOT_FOUND', 'no such file');
  let data: Buffer;
  try {
    data = await readFile(file);
  } catch {
    throw new HttpError(
      404,
      'NOT_FOUND',
      relative === 'index.html' ? 'the kiosk UI is not built (gate-app/scripts/build-renderer.ts)' : 'no such file',
    );
  }
  if (token !== undefined) data = Buffer.from(injectToken(data.toString('utf8'), token));
  res.writeHead(200, {
    'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    // The page holds the launch token: no other site may frame it or learn its address.
    'content-security-policy': "frame-ancestors 'none'",
    'referrer-policy': 'no-referrer',
    'content-length': data.length,
  });
  res.end(data);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new HttpError(413, 'PAYLOAD_TOO_LARGE', `body over ${MAX_BODY} bytes`);
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'VALIDATION_ERROR', 'body must be JSON');
  }
}

/** The type argument names the reply's schema: a reply that drifts from the contract does not compile. */
function send<T>(res: ServerResponse, status: number, body: T): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

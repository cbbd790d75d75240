import { randomUUID } from 'node:crypto';
import {
  enrolmentCodeId,
  generateDeviceKeyPair,
  issueCredential,
  newSyncNonce,
  ready,
  toBase64Url,
  type DeviceKeyPair,
} from '@ticketgate/crypto';
import { sync, type ScanResult } from '@ticketgate/protocol';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { build } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { AppContext } from '../../src/context.js';
import { createContext } from '../../src/server.js';
import { DEMO, TEST_ENV, demoUser, type TestApp } from './app.js';

/** Test helpers of the gate sync protocol: enrolled gates, scans, a second server instance, an SSE reader. */

export interface TestGate {
  deviceId: string;
  token: string;
  hallId: string;
  keys: DeviceKeyPair;
  headers: { authorization: string };
}

export async function operatorHeaders(t: TestApp): Promise<{ authorization: string }> {
  return { authorization: `Bearer ${(await demoUser(t, DEMO.operator)).token}` };
}

export async function enrolmentCode(t: TestApp, hallId = 'HALL-A', ttlMinutes?: number): Promise<string> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/sync/enrolments',
    headers: await operatorHeaders(t),
    payload: { hall_id: hallId, ...(ttlMinutes ? { ttl_minutes: ttlMinutes } : {}) },
  });
  if (res.statusCode !== 201) throw new Error(`enrolment code: ${res.statusCode} ${res.body}`);
  return res.json().data.code;
}

export async function enrolGate(t: TestApp, opts: { hallId?: string; name?: string } = {}): Promise<TestGate> {
  const hallId = opts.hallId ?? 'HALL-A';
  const code = await enrolmentCode(t, hallId);
  await ready();
  const keys = generateDeviceKeyPair();
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/sync/enrol',
    payload: {
      code_id: enrolmentCodeId(code),
      name: opts.name ?? `Gate ${randomUUID().slice(0, 4)}`,
      box_public_key: toBase64Url(keys.publicKey),
    },
  });
  if (res.statusCode !== 200) throw new Error(`enrol: ${res.statusCode} ${res.body}`);
  const d = res.json().data;
  return { deviceId: d.device_id, token: d.device_token, hallId: d.hall_id, keys, headers: { authorization: `Bearer ${d.device_token}` } };
}

/** The seeded upcoming event of a hall (HALL-A: 5,000 seats, HALL-B: 120). */
export async function upcomingEvent(t: TestApp, hallId = 'HALL-A'): Promise<string> {
  const { rows } = await t.ctx.pool.query<{ id: string }>(
    'SELECT id FROM events WHERE hall_id = $1 AND event_date > now() ORDER BY event_date LIMIT 1',
    [hallId],
  );
  return rows[0]!.id;
}

/**
 * Seats of an event made SOLD to the demo fan (fixtures straight in SQL: purchase has its own tests),
 * sold `soldAt` (default a day ago, so scans dated in the last hours lie after the sale).
 */
export async function soldSeats(t: TestApp, eventId: string, count: number, soldAt = Date.now() - 24 * 3600_000): Promise<string[]> {
  const fan = await demoUser(t, DEMO.fan);
  const { rows } = await t.ctx.pool.query<{ id: string }>(
    `UPDATE seats SET status = 'SOLD', owner_user_id = $2
      WHERE id IN (SELECT id FROM seats WHERE event_id = $1 AND status = 'AVAILABLE' ORDER BY row_label, seat_number LIMIT $3)
      RETURNING id`,
    [eventId, fan.id, count],
  );
  const ids = rows.map((r) => r.id);
  // The trigger dated the sale now; the fixture backdates it.
  await t.ctx.pool.query('UPDATE seat_generations SET valid_from = $2 WHERE seat_id = ANY($1::uuid[]) AND valid_until IS NULL', [
    ids,
    new Date(soldAt),
  ]);
  return ids;
}

/** A real credential for a seat as the server issues it, issued at `at` (what a gate scanned then). */
export async function credentialAt(
  t: { ctx: AppContext },
  c: { seatId: string; eventId: string; generation?: number; hallId?: string; at: number },
): Promise<string> {
  return issueCredential(
    {
      seatId: c.seatId,
      eventId: c.eventId,
      hallCode: c.hallId ?? 'HALL-A',
      generation: c.generation ?? 1,
      issuedAt: Math.floor(c.at / 1000),
    },
    { issuing: await t.ctx.keys.activeIssuingKey(), gate: await t.ctx.keys.gateKeyFor(c.eventId) },
  );
}

export function scan(input: {
  eventId: string;
  seatId: string | null;
  at: number | string;
  result?: ScanResult;
  generation?: number;
  hallId?: string;
}): sync.UploadedScan {
  return {
    client_scan_id: randomUUID(),
    event_id: input.eventId,
    seat_id: input.seatId,
    generation: input.generation ?? 1,
    hall_id: input.hallId ?? 'HALL-A',
    result: input.result ?? 'SUCCESS',
    reason: null,
    scanned_at: new Date(input.at).toISOString(),
  };
}

/**
 * POST /api/sync/scans as a gate sends it (upload version 2). A SUCCESS without a
 * `credential` key gets the one a gate would have scanned: a real credential
 * issued at the scan time for the scan's seat, event, generation and hall. Pass
 * `credential: null` (or a forged text) to upload an admission without a valid proof.
 */
export async function upload(
  t: { app: FastifyInstance; ctx: AppContext },
  gate: TestGate,
  scans: sync.UploadedScan[],
  extra: { backlog?: number; clock_offset_ms?: number | null; version?: 1 | 2 } = {},
): Promise<LightMyRequestResponse> {
  const proven = await Promise.all(
    scans.map(async (s) =>
      s.result !== 'SUCCESS' || s.credential !== undefined || !s.seat_id || !s.event_id
        ? s
        : {
            ...s,
            credential: await credentialAt(t, {
              seatId: s.seat_id,
              eventId: s.event_id,
              generation: s.generation ?? 1,
              hallId: s.hall_id ?? gate.hallId,
              at: Date.parse(s.scanned_at),
            }),
          },
    ),
  );
  return t.app.inject({
    method: 'POST',
    url: '/api/sync/scans',
    headers: gate.headers,
    payload: { version: extra.version ?? 2, scans: proven, backlog: extra.backlog ?? 0, clock_offset_ms: extra.clock_offset_ms ?? null },
  });
}

/** A second server instance on the same database, listening on 127.0.0.1 (another machine behind the load balancer). */
export async function startPeer(t: TestApp): Promise<{ app: FastifyInstance; ctx: AppContext; url: string; close(): Promise<void> }> {
  const config = loadConfig({ ...TEST_ENV, DATABASE_URL: t.databaseUrl });
  const ctx = createContext(config, t.databaseUrl);
  const app = await build(ctx, { logger: false });
  await app.ready();
  await ctx.live.start();
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    app,
    ctx,
    url,
    async close() {
      await ctx.live.stop();
      const closing = app.close();
      // fetch (undici) may hold sockets that never sent a request; Node would wait out headersTimeout (60 s) for them.
      app.server.closeAllConnections();
      await closing;
      await ctx.pool.end();
    },
  };
}

export interface SseMessage {
  event: string;
  data: unknown;
  /** The frame as signed (docs/sync-protocol.md): index, signature line, JSON line. */
  id: string | undefined;
  sig: string | undefined;
  json: string;
}

/** Reads a gate's SSE stream with fetch, as a gate would; `next` waits for a matching message. */
export async function openStream(baseUrl: string, token: string) {
  const nonce = newSyncNonce();
  // Assigned onto the reader, not spread: its isEnded and endedCleanly getters must stay live.
  return Object.assign(await readSse(`${baseUrl}/api/sync/stream`, { authorization: `Bearer ${token}`, [sync.NONCE_HEADER]: nonce }), {
    nonce,
  });
}

/** Reads any SSE stream of the server with fetch; frames with two data lines are signed (signature, JSON), with one plain JSON. */
export async function readSse(url: string, headers: Record<string, string> = {}) {
  const abort = new AbortController();
  const res = await fetch(url, { headers, signal: abort.signal });
  const body = res.status === 200 ? undefined : await res.json();
  const messages: SseMessage[] = [];
  let wake: () => void = () => {};
  let ended = false;
  let endedCleanly = false;
  const pump = (async () => {
    if (!res.body || body) return;
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buf = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) {
          endedCleanly = true;
          break;
        }
        buf += value;
        let cut: number;
        while ((cut = buf.indexOf('\n\n')) >= 0) {
          const frame = buf.slice(0, cut);
          buf = buf.slice(cut + 2);
          const event = /^event: (.*)$/m.exec(frame)?.[1];
          const id = /^id: (.*)$/m.exec(frame)?.[1];
          const lines = [...frame.matchAll(/^data: (.*)$/gm)].map((m) => m[1]!);
          const [sig, json] = lines.length === 1 ? [undefined, lines[0]] : lines;
          if (event && json !== undefined) messages.push({ event, id, sig, json, data: JSON.parse(json) });
        }
        wake();
      }
    } catch {
      // aborted by close()
    }
    ended = true;
    wake();
  })();
  let seen = 0;
  return {
    status: res.status,
    contentType: res.headers.get('content-type'),
    body,
    messages,
    /** The next message after the ones already taken that satisfies `match`. */
    async next(match: (m: SseMessage) => boolean = () => true, timeoutMs = 15_000): Promise<SseMessage> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        while (seen < messages.length) {
          const m = messages[seen++]!;
          if (match(m)) return m;
        }
        if (ended) throw new Error('stream ended');
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no matching message within ${timeoutMs} ms; got ${JSON.stringify(messages)}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    },
    /** Resolves when the server ends the stream. */
    ended: pump,
    get isEnded() {
      return ended;
    },
    /** The server ended the response (rather than the connection failing). */
    get endedCleanly() {
      return endedCleanly;
    },
    close() {
      abort.abort();
    },
  };
}

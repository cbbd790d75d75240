// process: engine
import { sync } from '@ticketgate/protocol';
import type { ApiClient } from './api-client.js';
import type { Connectivity } from './connectivity.js';
import { SseParser, type SseMessage } from './sse.js';

export interface LiveStreamHandlers {
  hello(m: { device_id: string; server_time: string }): void;
  admission(m: sync.Admission): void;
  seats(m: { event_id: string; seq: number }): void;
  revoked(m: { device_id: string }): void;
  problem(message: string): void;
}

/**
 * Follows GET /api/sync/stream (SSE over fetch) until it ends. Returns normally
 * when the server closes it, throws when it cannot be opened; the caller's loop
 * reconnects with backoff either way. A stream silent for `idleMs` (no event, no
 * heartbeat comment) is presumed dead — a cut cable does not close a socket.
 */
export async function followLiveStream(
  api: ApiClient,
  connectivity: Connectivity,
  handlers: LiveStreamHandlers,
  signal: AbortSignal,
  idleMs: number,
): Promise<void> {
  const local = new AbortController();
  const abort = () => local.abort();
  signal.addEventListener('abort', abort, { once: true });
  let idle: NodeJS.Timeout | undefined;
  const touch = () => {
    clearTimeout(idle);
    idle = setTimeout(() => local.abort(new Error(`live stream silent for ${idleMs} ms`)), idleMs);
  };
  try {
    touch();
    const res = await api.openStream('/api/sync/stream', local.signal);
    connectivity.stream(true);
    const parser = new SseParser((m) => {
      touch();
      dispatch(m, handlers);
    }, touch);
    const decoder = new TextDecoder();
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      touch();
      parser.push(decoder.decode(chunk, { stream: true }));
    }
  } catch (err) {
    if (signal.aborted) return;
    throw err;
  } finally {
    clearTimeout(idle);
    signal.removeEventListener('abort', abort);
    connectivity.stream(false);
  }
}

function dispatch(m: SseMessage, h: LiveStreamHandlers): void {
  let data: unknown;
  try {
    data = JSON.parse(m.data);
  } catch {
    h.problem(`live stream: ${m.event} message is not JSON`);
    return;
  }
  const parse = <T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } }, fn: (v: T) => void) => {
    const r = schema.safeParse(data);
    if (r.success) fn(r.data);
    else h.problem(`live stream: ${m.event} message does not match the protocol`);
  };
  switch (m.event) {
    case 'hello':
      return parse(sync.HelloMessage, (v) => h.hello(v));
    case 'admission':
      return parse(sync.AdmissionMessage, (v) => h.admission(v));
    case 'seats':
      return parse(sync.SeatsChangedMessage, (v) => h.seats(v));
    case 'revoked':
      return parse(sync.RevokedMessage, (v) => h.revoked(v));
    default:
      // Newer servers may add messages; an old gate ignores what it does not know.
      return;
  }
}

// process: engine
import { verifySync, type SyncPublicKey } from '@ticketgate/crypto';
import { sync } from '@ticketgate/protocol';
import type { ApiClient } from './api-client.js';
import type { Connectivity } from './connectivity.js';
import { IntegrityError } from './integrity.js';
import { SseParser, type SseMessage } from './sse.js';

export interface LiveStreamHandlers {
  hello(m: { device_id: string; server_time: string }): void;
  admission(m: sync.Admission): void;
  seats(m: { event_id: string; seq: number }): void;
  revoked(m: { device_id: string }): void;
  /** The hall manifest changed (keys rotated): pull it again. */
  manifest(m: { reason: string }): void;
  problem(message: string): void;
}

/**
 * Follows GET /api/sync/stream (SSE over fetch) until it ends. Returns normally
 * when the server closes it, throws when it cannot be opened; the caller's loop
 * reconnects with backoff either way. A stream silent for `idleMs` (no event, no
 * heartbeat comment) is presumed dead — a cut cable does not close a socket.
 *
 * Every message must carry the pinned key's signature over the stream's nonce,
 * its index (0, 1, 2, … with no gap) and its name and JSON: the first one that
 * does not is refused and ends the stream with an IntegrityError (the loop
 * reconnects); nothing after it is believed.
 */
export async function followLiveStream(
  api: ApiClient,
  connectivity: Connectivity,
  handlers: LiveStreamHandlers,
  signal: AbortSignal,
  idleMs: number,
  syncKey: () => SyncPublicKey,
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
    const { res, nonce } = await api.openStream('/api/sync/stream', local.signal);
    const key = syncKey();
    connectivity.stream(true);
    let index = 0;
    const parser = new SseParser((m) => {
      touch();
      dispatch(verifiedMessage(m, key, nonce, index++), handlers);
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

/** The message's JSON once its signature checks out (docs/sync-protocol.md); throws IntegrityError otherwise. */
function verifiedMessage(m: SseMessage, key: SyncPublicKey, nonce: string, index: number): SseMessage {
  const cut = m.data.indexOf('\n');
  const sig = cut < 0 ? null : m.data.slice(0, cut);
  const json = cut < 0 ? m.data : m.data.slice(cut + 1);
  if (m.id !== String(index))
    throw new IntegrityError(`live stream: message ${m.id ?? '(none)'} where ${index} was due (replayed or dropped)`);
  const verdict = verifySync(key, sig, 'stream', nonce, json, [String(index), m.event]);
  if (!verdict.ok) throw new IntegrityError(`live stream: ${m.event} message ${index}: ${verdict.reason}`);
  return { ...m, data: json };
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
    case 'manifest':
      return parse(sync.ManifestChangedMessage, (v) => h.manifest(v));
    default:
      // Newer servers may add messages; an old gate ignores what it does not know.
      return;
  }
}

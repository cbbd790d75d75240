// process: engine
import { newSyncNonce, verifySync, type SyncPublicKey, type SyncSignedKind } from '@ticketgate/crypto';
import { ErrorEnvelope, ok, sync, type ErrorCode } from '@ticketgate/protocol';
import type { Dispatcher } from 'undici';
import { z } from 'zod';
import type { GateClock } from './clock.js';
import type { Connectivity } from './connectivity.js';
import { IntegrityError } from './integrity.js';
import type { UnverifiedReply } from './trust.js';

/** The server answered with the failure envelope (ErrorEnvelope of @ticketgate/protocol). */
export class ServerError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
  ) {
    super(`${code}: ${message}`);
    this.name = 'ServerError';
  }
}

/** The server could not be reached, timed out, or sent something that is not our protocol. */
export class NetworkError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NetworkError';
  }
}

export interface ApiClientOptions {
  baseUrl: string;
  token: () => string | null;
  clock: GateClock;
  connectivity: Connectivity;
  timeoutMs?: number;
  userAgent?: string;
  /** The pinned sync key that signed replies must verify with (SyncTrust.required). */
  syncKey: () => SyncPublicKey;
  /** For a private CA (--ca): the fetch dispatcher that trusts it. */
  dispatcher?: Dispatcher;
}

export interface RequestOptions<T extends z.ZodType> {
  schema: T;
  body?: unknown;
  query?: Record<string, string | number>;
  timeoutMs?: number;
  signal?: AbortSignal;
  /**
   * The reply must be signed (docs/sync-protocol.md): by the pinned key, or by the
   * key `key` resolves from the still unverified reply (the manifest's chain tip,
   * the MAC-checked key of the enrolment reply).
   */
  signed: { kind: SyncSignedKind; key?: (reply: UnverifiedReply) => SyncPublicKey };
}

/**
 * HTTP to the sync server. Every call sends a fresh nonce, verifies the reply's
 * signature over it and the body bytes (a reply that fails is an IntegrityError,
 * never used), unwraps the API envelope, teaches the clock from the verified
 * `server_time` only, and reports its outcome and latency to the connectivity
 * tracker — the only source of the online/offline state.
 */
export class ApiClient {
  private readonly base: string;
  private readonly timeoutMs: number;

  constructor(private readonly opts: ApiClientOptions) {
    this.base = opts.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = opts.timeoutMs ?? 15_000;
  }

  get baseUrl(): string {
    return this.base;
  }

  async get<T extends z.ZodType>(path: string, o: RequestOptions<T>): Promise<z.infer<T>> {
    return this.request('GET', path, o);
  }

  async post<T extends z.ZodType>(path: string, o: RequestOptions<T>): Promise<z.infer<T>> {
    return this.request('POST', path, o);
  }

  private url(path: string, query?: Record<string, string | number>): string {
    const u = new URL(this.base + path);
    for (const [k, v] of Object.entries(query ?? {})) u.searchParams.set(k, String(v));
    return u.toString();
  }

  private fetch(url: string, init: RequestInit): Promise<Response> {
    // undici's own fetch option; the type of the global fetch does not know the package's Agent.
    return fetch(url, this.opts.dispatcher ? ({ ...init, dispatcher: this.opts.dispatcher } as RequestInit) : init);
  }

  headers(extra: Record<string, string> = {}): Record<string, string> {
    // Snapshots are gzip-encoded only on request; fetch decodes them.
    const h: Record<string, string> = { 'user-agent': this.opts.userAgent ?? 'ticketgate-gate', 'accept-encoding': 'gzip', ...extra };
    const token = this.opts.token();
    if (token) h.authorization = `Bearer ${token}`;
    return h;
  }

  private async request<T extends z.ZodType>(method: string, path: string, o: RequestOptions<T>): Promise<z.infer<T>> {
    const { clock, connectivity } = this.opts;
    const timeout = AbortSignal.timeout(o.timeoutMs ?? this.timeoutMs);
    const signal = o.signal ? AbortSignal.any([timeout, o.signal]) : timeout;
    const sentAt = clock.device();
    const nonce = newSyncNonce();
    let res: Response;
    let raw: Uint8Array;
    try {
      const accept = { accept: 'application/json', [sync.NONCE_HEADER]: nonce };
      res = await this.fetch(this.url(path, o.query), {
        method,
        headers: this.headers(o.body === undefined ? accept : { ...accept, 'content-type': 'application/json' }),
        ...(o.body === undefined ? {} : { body: JSON.stringify(o.body) }),
        signal,
      });
      raw = new Uint8Array(await res.arrayBuffer());
    } catch (err) {
      if (o.signal?.aborted) throw err;
      const reason = timeout.aborted ? `timed out after ${o.timeoutMs ?? this.timeoutMs} ms` : describeFetchError(err);
      connectivity.failure(`${method} ${path}: ${reason}`);
      throw new NetworkError(`${method} ${path}: ${reason}`, { cause: err });
    }
    const receivedAt = clock.device();
    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder().decode(raw));
    } catch {
      json = undefined;
    }

    if (res.ok) {
      // Any 2xx claims to be the server's answer; it is one only if signed for this request. Nothing of it — not its
      // data, not its time — is used before its signature checks out (a manifest's resolver reads the key chain the
      // signature must then verify with; a chain that does not lead from the pinned key is refused there).
      connectivity.success(receivedAt - sentAt);
      const key = o.signed.key ? o.signed.key({ json, raw, headers: res.headers, nonce }) : this.opts.syncKey();
      const verdict = verifySync(key, res.headers.get(sync.SIGNATURE_HEADER), o.signed.kind, nonce, raw);
      if (!verdict.ok) throw new IntegrityError(`${method} ${path}: ${verdict.reason}`);
    }
    // The protocol's own schemas decide what a TicketGate reply is: a failure envelope with a known code, or a success.
    const failure = ErrorEnvelope.safeParse(json);
    const succeeded = SuccessProbe.safeParse(json).success;
    if (res.status >= 500 || (!failure.success && !succeeded)) {
      const why = failure.success ? `${failure.data.error_code} (HTTP ${res.status})` : `HTTP ${res.status}, not a TicketGate reply`;
      connectivity.failure(`${method} ${path}: ${why}`);
      if (failure.success) throw new ServerError(res.status, failure.data.error_code, failure.data.message);
      throw new NetworkError(`${method} ${path}: ${why}`);
    }
    // A refusal still proves the link: the server is there and answering.
    if (!res.ok) connectivity.success(receivedAt - sentAt);
    if (failure.success) throw new ServerError(res.status, failure.data.error_code, failure.data.message);
    const serverTime = ServerTimeProbe.safeParse(json).data?.data.server_time ?? null;
    clock.observe({ sentAt, receivedAt, serverTime });
    const parsed = ok(o.schema).safeParse(json);
    if (!parsed.success) {
      throw new NetworkError(
        `${method} ${path}: reply does not match the protocol: ${parsed.error.issues[0]?.message ?? ''} at ${parsed.error.issues[0]?.path.join('.') ?? ''}`,
      );
    }
    return (parsed.data as { data: z.infer<T> }).data;
  }

  /** Opens a long-lived GET (the live stream); the caller reads the body and verifies each message against `nonce`. */
  async openStream(path: string, signal: AbortSignal): Promise<{ res: Response; nonce: string }> {
    const sentAt = this.opts.clock.device();
    const nonce = newSyncNonce();
    let res: Response;
    try {
      res = await this.fetch(this.url(path), {
        headers: this.headers({ accept: 'text/event-stream', [sync.NONCE_HEADER]: nonce }),
        signal,
      });
    } catch (err) {
      if (signal.aborted) throw err;
      this.opts.connectivity.failure(`stream: ${describeFetchError(err)}`);
      throw new NetworkError(`stream: ${describeFetchError(err)}`, { cause: err });
    }
    const type = res.headers.get('content-type') ?? '';
    if (res.ok && type.includes('text/event-stream')) {
      this.opts.connectivity.success(this.opts.clock.device() - sentAt);
      return { res, nonce };
    }
    const text = await res.text().catch(() => '');
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const failure = ErrorEnvelope.safeParse(json);
    if (res.status >= 500 || !failure.success) {
      this.opts.connectivity.failure(`stream: HTTP ${res.status}`);
      throw new NetworkError(`stream: HTTP ${res.status}`);
    }
    this.opts.connectivity.success(this.opts.clock.device() - sentAt);
    throw new ServerError(res.status, failure.data.error_code, failure.data.message);
  }
}

/** Any success envelope; its `data` is checked against the call's schema afterwards. */
const SuccessProbe = z.object({ success: z.literal(true) });
/** Every device reply carries server_time; read for the clock once the reply is verified. */
const ServerTimeProbe = z.object({ data: z.object({ server_time: z.string() }) });

export function describeFetchError(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code) return cause.code;
  if (cause?.message) return cause.message;
  return err instanceof Error ? err.message : String(err);
}

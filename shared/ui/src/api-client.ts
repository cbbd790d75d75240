import type { ErrorCode } from '@ticketgate/protocol/error-codes';
import type { ErrorEnvelope, LoginResult, Pagination, PublicUser, Tokens } from './api-types.js';

export * from './api-types.js';

/** A failed API call: the envelope's code and message, or NETWORK when the server could not be reached. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode | 'NETWORK',
    message: string,
    readonly status: number,
    readonly details: { field: string; message: string }[] = [],
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

/** Where the session survives reloads (localStorage in the apps, memory in tests). */
export interface SessionStore {
  load(): StoredSession | null;
  save(s: StoredSession | null): void;
}
export interface StoredSession {
  refreshToken: string;
  user: PublicUser;
}

export interface Page<T> {
  data: T[];
  pagination: Pagination;
}

interface CallOptions {
  body?: unknown;
  /** Send the access token (refreshing it once if it expired). */
  auth?: boolean;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/**
 * The one HTTP client of the browser apps: the envelope unwrapped, errors as
 * ApiError, and the session kept alive with the rotating refresh token (each
 * refresh token works once, so concurrent refreshes are coalesced into one).
 */
export class ApiClient {
  private accessToken: string | null = null;
  private refreshing: Promise<void> | null = null;
  private session: StoredSession | null;
  private listeners = new Set<(user: PublicUser | null) => void>();

  constructor(
    private readonly store: SessionStore,
    private readonly base = '',
  ) {
    this.session = store.load();
  }

  get user(): PublicUser | null {
    return this.session?.user ?? null;
  }

  /** Called with the user on log-in and with null when the session ends (log-out, revoked or expired refresh token). */
  onSession(fn: (user: PublicUser | null) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  async register(input: { email: string; phone: string; password: string; name?: string }): Promise<void> {
    await this.call('POST', '/api/auth/register', { body: input });
  }

  async login(email: string, password: string): Promise<PublicUser> {
    const r = await this.call<LoginResult>('POST', '/api/auth/login', { body: { email, password } });
    this.accessToken = r.access_token;
    this.setSession({ refreshToken: r.refresh_token, user: r.user });
    return r.user;
  }

  async logout(): Promise<void> {
    const refresh = this.session?.refreshToken;
    try {
      if (this.session) await this.call('POST', '/api/auth/logout', { auth: true, body: refresh ? { refresh_token: refresh } : {} });
    } finally {
      this.endSession();
    }
  }

  /** Keeps the cached user (name, balance) current after a change. */
  updateUser(patch: Partial<PublicUser>): void {
    if (this.session) this.setSession({ ...this.session, user: { ...this.session.user, ...patch } });
  }

  get<T>(path: string, opts: Omit<CallOptions, 'body'> = {}): Promise<T> {
    return this.call<T>('GET', path, { auth: true, ...opts });
  }

  post<T>(path: string, body: unknown = {}, opts: Omit<CallOptions, 'body'> = {}): Promise<T> {
    return this.call<T>('POST', path, { auth: true, ...opts, body });
  }

  /** A paginated list: data and pagination. */
  async page<T>(path: string): Promise<Page<T>> {
    const res = await this.send('GET', path, { auth: true });
    const body = (await res.json()) as { data: T[]; pagination: Pagination };
    return { data: body.data, pagination: body.pagination };
  }

  /** Calls whose success body is not an envelope (the Veritix chat API). */
  async raw<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const res = await this.send(method, path, { auth: true, body });
    return (await res.json()) as T;
  }

  async call<T>(method: string, path: string, opts: CallOptions = {}): Promise<T> {
    const res = await this.send(method, path, opts);
    if (res.status === 204) return undefined as T;
    return ((await res.json()) as { data: T }).data;
  }

  private async send(method: string, path: string, opts: CallOptions, retried = false): Promise<Response> {
    if (opts.auth && !this.accessToken && this.session) {
      try {
        await this.refresh();
      } catch (err) {
        // Offline: go on without a token, so the service worker can answer from its cache (the tickets list).
        if (!(err instanceof ApiError && err.code === 'NETWORK')) throw err;
      }
    }
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    if (opts.auth && this.accessToken) headers.authorization = `Bearer ${this.accessToken}`;
    let res: Response;
    try {
      res = await fetch(this.base + path, {
        method,
        headers,
        ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
    } catch (err) {
      if ((err as Error).name === 'AbortError') throw err;
      throw new ApiError('NETWORK', 'The server could not be reached.', 0);
    }
    if (res.ok || res.status === 304) return res;
    const err = await toApiError(res);
    if (opts.auth && !retried && this.session && (err.code === 'TOKEN_EXPIRED' || err.code === 'UNAUTHORIZED')) {
      this.accessToken = null;
      await this.refresh();
      return this.send(method, path, opts, true);
    }
    throw err;
  }

  /** Trades the refresh token for a new pair; ends the session if the server refuses it. */
  private refresh(): Promise<void> {
    this.refreshing ??= withRefreshLock(async () => {
      // Another tab of the app may have rotated the token since this one read it: a used refresh token
      // would revoke the whole session, so always start from the stored one, one tab at a time.
      const session = this.store.load();
      if (!session) {
        this.endSession();
        throw new ApiError('UNAUTHORIZED', 'Please log in.', 401);
      }
      let res: Response;
      try {
        res = await fetch(`${this.base}/api/auth/refresh`, {
          method: 'POST',
          headers: { authorization: `Bearer ${session.refreshToken}` },
        });
      } catch {
        throw new ApiError('NETWORK', 'The server could not be reached.', 0);
      }
      if (!res.ok) {
        const err = await toApiError(res);
        if (err.code === 'UNAUTHORIZED' || err.code === 'TOKEN_EXPIRED') this.endSession();
        throw err;
      }
      const t = ((await res.json()) as { data: Tokens }).data;
      this.accessToken = t.access_token;
      this.setSession({ ...session, refreshToken: t.refresh_token });
    }).finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private setSession(s: StoredSession): void {
    const changed = s.user !== this.session?.user;
    this.session = s;
    this.store.save(s);
    if (changed) for (const fn of this.listeners) fn(s.user);
  }

  private endSession(): void {
    this.accessToken = null;
    this.session = null;
    this.store.save(null);
    for (const fn of this.listeners) fn(null);
  }
}

/** Runs `fn` holding a lock shared by every tab of this origin (Web Locks), where the browser has them. */
function withRefreshLock<T>(fn: () => Promise<T>): Promise<T> {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  return locks ? (locks.request('ticketgate-refresh', fn) as Promise<T>) : fn();
}

async function toApiError(res: Response): Promise<ApiError> {
  const retryAfter = Number(res.headers.get('retry-after')) || undefined;
  try {
    const body = (await res.json()) as Partial<ErrorEnvelope>;
    if (body.error_code) return new ApiError(body.error_code, body.message ?? '', res.status, body.details ?? [], retryAfter);
  } catch {
    // not JSON: fall through
  }
  return new ApiError(res.status === 404 ? 'NOT_FOUND' : 'INTERNAL_ERROR', `HTTP ${res.status}`, res.status, [], retryAfter);
}

/** localStorage-backed session (the refresh token survives reloads; the access token lives in memory only). */
export function localSessionStore(key = 'ticketgate.session'): SessionStore {
  return {
    load() {
      try {
        const raw = localStorage.getItem(key);
        return raw ? (JSON.parse(raw) as StoredSession) : null;
      } catch {
        return null;
      }
    },
    save(s) {
      if (s) localStorage.setItem(key, JSON.stringify(s));
      else localStorage.removeItem(key);
    },
  };
}

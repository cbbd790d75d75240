// process: engine
import { timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { kiosk } from '@ticketgate/protocol';

/**
 * Who may talk to the gate's local API. It admits people (a SUCCESS pulses the
 * turnstile), so a request must prove it comes from the kiosk itself:
 *
 * - **Host** is one the gate answers to: `127.0.0.1`, `localhost` or `[::1]`
 *   with the gate's port (with `--http-public` also any IP literal with that
 *   port). A web page that rebinds its own DNS name to 127.0.0.1 sends its own
 *   name as Host and is refused, so it can neither read `/status` nor `/seats`.
 * - **Origin**, when the browser sends one, is the gate's own (`http://<Host>`).
 *   A foreign page's `fetch` or form POST carries its origin and is refused.
 * - **Authorization** is `Bearer <launch token>`. The token lives in the data
 *   folder (0600) and reaches only the kiosk UI (Electron preload, or the page
 *   the engine serves to an allowed Host), so nothing else on the machine or
 *   the network can call the API even if the first two checks were fooled.
 * - A body is `application/json`: the only types a page may POST cross-origin
 *   without a preflight (text/plain, forms) are refused before the body is read.
 *
 * Pure: the HTTP server calls it with the request's headers and refuses with
 * the returned error before anything is parsed, recorded or pulsed.
 */
export interface LocalApiPolicy {
  /** The launch token. */
  token: string;
  /** The port the API listens on (a Host must name it). */
  port: number;
  /** `--http-public`: also answer to any IP-literal Host (an address on the hall network), never to a DNS name. */
  public: boolean;
}

export interface RequestHeaders {
  host?: string | undefined;
  origin?: string | undefined;
  authorization?: string | undefined;
  'content-type'?: string | undefined;
}

export interface Refusal {
  status: number;
  code: kiosk.KioskErrorCode;
  message: string;
}

const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The Host is one the gate answers to (name and port), e.g. `127.0.0.1:8100`. */
export function hostAllowed(host: string | undefined, policy: Pick<LocalApiPolicy, 'port' | 'public'>): boolean {
  if (!host) return false;
  const m = /^(\[[0-9a-f:.]+\]|[^:[\]]+):(\d{1,5})$/i.exec(host.trim().toLowerCase());
  if (!m || Number(m[2]) !== policy.port) return false;
  const name = m[1]!;
  if (LOOPBACK_NAMES.has(name)) return true;
  // A DNS name can be rebound to this address by anyone who owns it; an IP literal cannot.
  return policy.public && isIP(name.replace(/^\[|\]$/g, '')) !== 0;
}

/** No Origin (curl, the Electron shell's own requests), or exactly the gate's own origin for this Host. */
export function originAllowed(origin: string | undefined, host: string): boolean {
  if (origin === undefined) return true;
  try {
    return new URL(origin).origin === new URL(`http://${host}`).origin;
  } catch {
    return false;
  }
}

/** Constant-time comparison of `Bearer <token>` against the launch token. */
export function tokenMatches(authorization: string | undefined, token: string): boolean {
  const m = /^Bearer ([A-Za-z0-9_-]{16,128})$/.exec(authorization?.trim() ?? '');
  if (!m) return false;
  const given = Buffer.from(m[1]!);
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function isJson(contentType: string | undefined): boolean {
  return /^application\/json\s*(;|$)/i.test(contentType?.trim() ?? '');
}

/** The first check an API request fails, or null when it may proceed. */
export function refuseApiRequest(headers: RequestHeaders, hasBody: boolean, policy: LocalApiPolicy): Refusal | null {
  if (!hostAllowed(headers.host, policy)) return { status: 403, code: 'FORBIDDEN_HOST', message: 'this gate does not answer to that Host' };
  if (!originAllowed(headers.origin, headers.host!))
    return { status: 403, code: 'FORBIDDEN_ORIGIN', message: 'requests from other origins are refused' };
  if (!tokenMatches(headers.authorization, policy.token)) {
    return { status: 401, code: 'UNAUTHORISED', message: 'missing or wrong launch token (Authorization: Bearer <local-api-token>)' };
  }
  if (hasBody && !isJson(headers['content-type']))
    return { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: 'the body must be application/json' };
  return null;
}

/** Loopback addresses (and `localhost`): where the local API binds unless `--http-public` says otherwise. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h === '::1') return true;
  return isIP(h) === 4 && h.startsWith('127.');
}

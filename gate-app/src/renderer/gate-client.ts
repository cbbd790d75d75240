// process: renderer
// The kiosk UI talks to the gate engine only through its local HTTP API
// (the same one the headless gate serves), never through Node or Electron.
// Every call goes through this module, carrying the launch token, and every
// reply is parsed with the API's schemas (kiosk of @ticketgate/protocol): a
// reply that does not match is an unreachable engine, not a half-shown verdict.
import { kiosk } from '@ticketgate/protocol';
import type { z } from 'zod';

export type Verdict = kiosk.VerdictReply;
export type GateStatus = kiosk.GateStatus;
export type ScanLogEntry = kiosk.ScanLogEntry;

/** A refusal of the local API, with its code (PIN_REFUSED, ENROL_REFUSED, …) for the screen to act on. */
export class GateApiError extends Error {
  constructor(
    readonly code: kiosk.KioskErrorCode | 'UNREACHABLE',
    message: string,
  ) {
    super(message);
  }
}

/** The engine refused the launch token (it restarted with a new one): the page must be loaded again. */
export class TokenRefusedError extends Error {}

/** Every request carries the local API's launch token (`Authorization: Bearer`), see kiosk of @ticketgate/protocol. */
export class GateClient {
  constructor(
    private readonly base: string,
    private readonly token: string | null,
  ) {}

  scan(payload: string, source = 'keyboard'): Promise<Verdict> {
    return this.post('/scan', { payload, source } satisfies kiosk.ScanRequest, kiosk.VerdictReply);
  }

  status(): Promise<GateStatus> {
    return this.get('/status', kiosk.GateStatus);
  }

  recentScans(limit: number): Promise<ScanLogEntry[]> {
    return this.get(`/scans?limit=${limit}`, kiosk.ScansReply);
  }

  enrol(body: kiosk.KioskEnrolRequest): Promise<kiosk.KioskEnrolReply> {
    return this.post('/enrol', body, kiosk.KioskEnrolReply);
  }

  supervisorUnlock(pin: string): Promise<kiosk.SupervisorReply> {
    return this.post('/supervisor/unlock', { pin } satisfies kiosk.SupervisorRequest, kiosk.SupervisorReply);
  }

  relayTest(pin: string): Promise<kiosk.RelayTestReply> {
    return this.post('/supervisor/relay-test', { pin } satisfies kiosk.SupervisorRequest, kiosk.RelayTestReply);
  }

  private async get<T extends z.ZodType>(path: string, schema: T): Promise<z.infer<T>> {
    return reply(await call(`${this.base}${path}`, { headers: this.auth() }), schema);
  }

  private async post<T extends z.ZodType>(path: string, body: unknown, schema: T): Promise<z.infer<T>> {
    const init = { method: 'POST', headers: { ...this.auth(), 'content-type': 'application/json' }, body: JSON.stringify(body) };
    return reply(await call(`${this.base}${path}`, init), schema);
  }

  private auth(): Record<string, string> {
    return this.token ? { authorization: `Bearer ${this.token}` } : {};
  }
}

/**
 * Where the kiosk page finds its token: the Electron preload's bridge, or the
 * `<meta>` the engine put into the page it served (kiosk.LOCAL_API_TOKEN_META).
 */
export function launchToken(
  win: { ticketgateKiosk?: { localApiToken?: string | null } },
  doc: Pick<Document, 'querySelector'>,
): string | null {
  const bridged = win.ticketgateKiosk?.localApiToken;
  if (bridged) return bridged;
  return doc.querySelector<HTMLMetaElement>(`meta[name="${kiosk.LOCAL_API_TOKEN_META}"]`)?.content || null;
}

async function call(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch {
    throw new GateApiError('UNREACHABLE', 'the gate engine does not answer');
  }
}

async function reply<T extends z.ZodType>(res: Response, schema: T): Promise<z.infer<T>> {
  const json: unknown = await res.json().catch(() => undefined);
  if (!res.ok) {
    if (res.status === 401) throw new TokenRefusedError('the gate refused the launch token');
    const err = kiosk.KioskError.safeParse(json);
    throw err.success
      ? new GateApiError(err.data.error, err.data.message)
      : new GateApiError('INTERNAL_ERROR', `gate answered ${res.status}`);
  }
  return schema.parse(json);
}

// process: renderer
// The kiosk UI talks to the gate engine only through its local HTTP API
// (the same one the headless gate serves), never through Node or Electron.
// Every call goes through this module, and every reply is parsed with the API's
// schemas (kiosk of @ticketgate/protocol): a reply that does not match is an
// unreachable engine, not a half-shown verdict.
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

export class GateClient {
  constructor(private readonly base: string) {}

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
    return reply(await call(`${this.base}${path}`), schema);
  }

  private async post<T extends z.ZodType>(path: string, body: unknown, schema: T): Promise<z.infer<T>> {
    return reply(
      await call(`${this.base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
      schema,
    );
  }
}

async function call(url: string, init?: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch {
    throw new GateApiError('UNREACHABLE', 'the gate engine does not answer');
  }
}

async function reply<T extends z.ZodType>(res: Response, schema: T): Promise<z.infer<T>> {
  const json: unknown = await res.json().catch(() => undefined);
  if (!res.ok) {
    const err = kiosk.KioskError.safeParse(json);
    throw err.success
      ? new GateApiError(err.data.error, err.data.message)
      : new GateApiError('INTERNAL_ERROR', `gate answered ${res.status}`);
  }
  return schema.parse(json);
}

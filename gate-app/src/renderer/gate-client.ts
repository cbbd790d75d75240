// process: renderer
// The kiosk UI talks to the gate engine only through its local HTTP API
// (the same one the headless gate serves), never through Node or Electron.
// Every reply is parsed with the API's schemas (kiosk of @ticketgate/protocol):
// a reply that does not match is an unreachable engine, not a half-shown verdict.
import { kiosk } from '@ticketgate/protocol';
import type { z } from 'zod';

export type Verdict = kiosk.VerdictReply;
export type GateStatus = kiosk.GateStatus;

/** The engine refused the launch token (it restarted with a new one): the page must be loaded again. */
export class TokenRefusedError extends Error {}

/** Every request carries the local API's launch token (`Authorization: Bearer`), see kiosk of @ticketgate/protocol. */
export class GateClient {
  constructor(
    private readonly base: string,
    private readonly token: string | null,
  ) {}

  async scan(payload: string, source = 'keyboard'): Promise<Verdict> {
    const body: kiosk.ScanRequest = { payload, source };
    const res = await fetch(`${this.base}/scan`, { method: 'POST', headers: { ...this.auth(), 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return reply(res, kiosk.VerdictReply);
  }

  async status(): Promise<GateStatus> {
    return reply(await fetch(`${this.base}/status`, { headers: this.auth() }), kiosk.GateStatus);
  }

  private auth(): Record<string, string> {
    return this.token ? { authorization: `Bearer ${this.token}` } : {};
  }
}

/**
 * Where the kiosk page finds its token: the Electron preload's bridge, or the
 * `<meta>` the engine put into the page it served (kiosk.LOCAL_API_TOKEN_META).
 */
export function launchToken(win: { ticketgateKiosk?: { localApiToken?: string | null } }, doc: Pick<Document, 'querySelector'>): string | null {
  const bridged = win.ticketgateKiosk?.localApiToken;
  if (bridged) return bridged;
  return doc.querySelector<HTMLMetaElement>(`meta[name="${kiosk.LOCAL_API_TOKEN_META}"]`)?.content || null;
}

async function reply<T extends z.ZodType>(res: Response, schema: T): Promise<z.infer<T>> {
  const json: unknown = await res.json().catch(() => undefined);
  if (!res.ok) {
    if (res.status === 401) throw new TokenRefusedError('the gate refused the launch token');
    const err = kiosk.KioskError.safeParse(json);
    throw new Error(err.success ? `${err.data.error}: ${err.data.message}` : `gate answered ${res.status}`);
  }
  return schema.parse(json);
}

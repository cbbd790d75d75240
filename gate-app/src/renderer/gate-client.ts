// process: renderer
// The kiosk UI talks to the gate engine only through its local HTTP API
// (the same one the headless gate serves), never through Node or Electron.
// Every reply is parsed with the API's schemas (kiosk of @ticketgate/protocol):
// a reply that does not match is an unreachable engine, not a half-shown verdict.
import { kiosk } from '@ticketgate/protocol';
import type { z } from 'zod';

export type Verdict = kiosk.VerdictReply;
export type GateStatus = kiosk.GateStatus;

export class GateClient {
  constructor(private readonly base: string) {}

  async scan(payload: string, source = 'keyboard'): Promise<Verdict> {
    const body: kiosk.ScanRequest = { payload, source };
    const res = await fetch(`${this.base}/scan`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return reply(res, kiosk.VerdictReply);
  }

  async status(): Promise<GateStatus> {
    return reply(await fetch(`${this.base}/status`), kiosk.GateStatus);
  }
}

async function reply<T extends z.ZodType>(res: Response, schema: T): Promise<z.infer<T>> {
  const json: unknown = await res.json().catch(() => undefined);
  if (!res.ok) {
    const err = kiosk.KioskError.safeParse(json);
    throw new Error(err.success ? `${err.data.error}: ${err.data.message}` : `gate answered ${res.status}`);
  }
  return schema.parse(json);
}

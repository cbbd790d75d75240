// process: renderer
// The kiosk UI talks to the gate engine only through its local HTTP API
// (the same one the headless gate serves), never through Node or Electron.

export interface Verdict {
  result: string;
  message: string;
  seat_id?: string | null;
  row?: string | null;
  number?: number | null;
  category?: string | null;
  holder?: string | null;
  event_name?: string | null;
  first_admitted_at?: string | null;
  first_admitted_by?: string | null;
}

export interface GateStatus {
  hall_id?: string;
  device_name?: string;
  connectivity?: 'online' | 'degraded' | 'offline' | string;
  last_sync_at?: string | null;
  backlog?: number;
  counts?: Record<string, number>;
  revoked?: boolean;
  clock_offset_ms?: number | null;
  clock_warning?: boolean;
  conflicts?: number;
}

export class GateClient {
  constructor(private readonly base: string) {}

  async scan(payload: string, source = 'keyboard'): Promise<Verdict> {
    const res = await fetch(`${this.base}/scan`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ payload, source }),
    });
    if (!res.ok) throw new Error(`gate answered ${res.status}`);
    return (await res.json()) as Verdict;
  }

  async status(): Promise<GateStatus> {
    const res = await fetch(`${this.base}/status`);
    if (!res.ok) throw new Error(`gate answered ${res.status}`);
    return (await res.json()) as GateStatus;
  }
}

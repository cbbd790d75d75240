// process: engine
import { decodeIssuingPublicKey } from '@ticketgate/crypto';
import { sync } from '@ticketgate/protocol';
import { applySeatBatch } from '../store/apply-seat-delta.js';
import type { GateStore } from '../store/gate-store.js';
import type { ApiClient } from './api-client.js';
import { seatFromTuple } from './seat-tuples.js';

export interface PullReport {
  eventId: string;
  full: boolean;
  seats: number;
  cursor: number;
  /** This gate's admissions sent again because the server names another first admission. */
  requeued: number;
  /** Whole pull: request, download, decode, check, apply. */
  ms: number;
  /** Of which the SQLite transaction. */
  applyMs: number;
}

/**
 * Downloads the hall manifest (events, keys) and each event's seats: the full
 * snapshot the first time (since=0), deltas by cursor afterwards.
 */
export class Puller {
  constructor(
    private readonly api: ApiClient,
    private readonly store: GateStore,
    private readonly now: () => number,
    private readonly onKeysChanged: () => void,
  ) {}

  async manifest(signal?: AbortSignal): Promise<sync.HallManifest> {
    const m = await this.api.get('/api/sync/hall', { schema: sync.HallManifest, ...(signal ? { signal } : {}) });
    const { store } = this;
    const before = JSON.stringify(store.keys.all());
    store.db.transaction(() => {
      store.device.saveHall(m.hall_name, m.venue_name, m.device_name);
      store.halls.replace(m.halls);
      store.catalog.saveEvents(m.events.map((e) => ({ eventId: e.event_id, name: e.name, eventDate: e.event_date, seq: e.seq })));
      store.keys.replace(
        {
          gate: m.events.flatMap((e) => e.gate_keys.map((k) => ({ kid: k.kid, eventId: e.event_id, sealed: k.sealed }))),
          issuing: m.issuing_keys,
        },
        issuingKidOf,
      );
    }).immediate();
    if (JSON.stringify(store.keys.all()) !== before) this.onKeysChanged();
    return m;
  }

  /** Pulls one event's seats past its cursor and applies them in one transaction. */
  async event(eventId: string, signal?: AbortSignal): Promise<PullReport> {
    const started = performance.now();
    const since = this.store.syncState.cursor(eventId);
    const delta = await this.api.get(`/api/sync/events/${encodeURIComponent(eventId)}/seats`, {
      schema: sync.SeatDelta,
      query: { since },
      timeoutMs: since === 0 ? 120_000 : 30_000,
      ...(signal ? { signal } : {}),
    });
    const applyStarted = performance.now();
    const applied = applySeatBatch(
      this.store,
      { eventId, full: delta.full, cursor: delta.cursor, seats: delta.seats.map((t) => seatFromTuple(eventId, t)) },
      this.now(),
    );
    const done = performance.now();
    return {
      eventId, full: delta.full, seats: delta.seats.length, cursor: delta.cursor, requeued: applied.requeued,
      ms: done - started, applyMs: done - applyStarted,
    };
  }

  /** Events whose announced sequence is past what this gate applied. */
  behind(): string[] {
    return this.store.catalog
      .events()
      .filter((e) => e.listed === 1 && e.server_seq > this.store.syncState.cursor(e.event_id))
      .map((e) => e.event_id);
  }

  /** Manifest, then every event that is behind. */
  async all(signal?: AbortSignal): Promise<PullReport[]> {
    await this.manifest(signal);
    const reports: PullReport[] = [];
    for (const eventId of this.behind()) reports.push(await this.event(eventId, signal));
    this.store.syncState.recordSuccess(this.now());
    return reports;
  }
}

function issuingKidOf(encoded: string): string {
  try {
    return decodeIssuingPublicKey(encoded).kid;
  } catch {
    return 'invalid';
  }
}

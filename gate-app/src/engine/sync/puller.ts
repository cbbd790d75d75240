// process: engine
import { decodeIssuingPublicKey } from '@ticketgate/crypto';
import { sync } from '@ticketgate/protocol';
import { applySeatBatch } from '../store/apply-seat-delta.js';
import type { GateStore } from '../store/gate-store.js';
import type { ApiClient } from './api-client.js';
import { IntegrityError } from './integrity.js';
import { seatFromTuple } from './seat-tuples.js';
import type { SyncTrust } from './trust.js';

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
 * snapshot the first time (since=0), deltas by cursor afterwards. Every reply is
 * signed for its request (ApiClient) and must also be about what was asked —
 * this device, this hall, this event, this cursor — or it is refused whole.
 */
export class Puller {
  constructor(
    private readonly api: ApiClient,
    private readonly store: GateStore,
    private readonly now: () => number,
    private readonly onKeysChanged: () => void,
    private readonly trust: SyncTrust,
    /** The pinned sync key moved along the chain: a stream opened under the old one should reopen. */
    private readonly onSyncKeyRotated: () => void = () => {},
  ) {}

  async manifest(signal?: AbortSignal): Promise<sync.HallManifest> {
    const m = await this.api.get('/api/sync/hall', {
      schema: sync.HallManifest,
      signed: { kind: 'hall', key: this.trust.manifestSigner },
      ...(signal ? { signal } : {}),
    });
    const { store } = this;
    const device = store.device.get();
    if (m.device_id !== device?.device_id || m.hall_id !== device.hall_id) {
      throw new IntegrityError(`manifest is for device ${m.device_id} in hall ${m.hall_id}, not this gate`);
    }
    const before = JSON.stringify(store.keys.all());
    const rotated = store.db
      .transaction(() => {
        const moved = this.trust.advance(m.sync_keys);
        store.device.saveHall(m.hall_name, m.venue_name, m.device_name);
        store.halls.replace(m.halls);
        store.catalog.saveEvents(
          m.events.map((e) => ({ eventId: e.event_id, name: e.name, eventDate: e.event_date, seq: e.seq, policy: e.admission_policy })),
        );
        store.keys.replace(
          {
            gate: m.events.flatMap((e) => e.gate_keys.map((k) => ({ kid: k.kid, eventId: e.event_id, sealed: k.sealed }))),
            issuing: m.issuing_keys,
          },
          issuingKidOf,
        );
        return moved;
      })
      .immediate();
    if (JSON.stringify(store.keys.all()) !== before) this.onKeysChanged();
    if (rotated) this.onSyncKeyRotated();
    return m;
  }

  /** Pulls one event's seats past its cursor and applies them in one transaction. */
  async event(eventId: string, signal?: AbortSignal): Promise<PullReport> {
    const started = performance.now();
    const since = this.store.syncState.cursor(eventId);
    const delta = await this.api.get(`/api/sync/events/${encodeURIComponent(eventId)}/seats`, {
      schema: sync.SeatDelta,
      signed: { kind: 'seats' },
      query: { since },
      timeoutMs: since === 0 ? 120_000 : 30_000,
      ...(signal ? { signal } : {}),
    });
    const self = this.store.device.get()?.device_id;
    if (delta.event_id !== eventId || delta.device_id !== self || delta.since !== since) {
      throw new IntegrityError(
        `seat delta is for event ${delta.event_id} since ${delta.since} (device ${delta.device_id}), not what was asked`,
      );
    }
    const applyStarted = performance.now();
    const applied = applySeatBatch(
      this.store,
      { eventId, full: delta.full, cursor: delta.cursor, seats: delta.seats.map((t) => seatFromTuple(eventId, t)) },
      this.now(),
    );
    const done = performance.now();
    return {
      eventId,
      full: delta.full,
      seats: delta.seats.length,
      cursor: delta.cursor,
      requeued: applied.requeued,
      ms: done - started,
      applyMs: done - applyStarted,
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

// process: engine
import { recheckLostAdmission } from '../sync/conflict-recheck.js';
import type { ServerSeat } from './catalog-repo.js';
import type { GateStore } from './gate-store.js';

export interface SeatBatch {
  eventId: string;
  full: boolean;
  cursor: number;
  seats: ServerSeat[];
}

/**
 * Applies a snapshot or delta and advances the event's cursor in ONE
 * transaction: a crash leaves either the old snapshot with the old cursor or the
 * new one with the new cursor, never seats ahead of (or behind) their cursor.
 */
export function applySeatBatch(store: GateStore, batch: SeatBatch, at: number): { applied: number; dropped: number; requeued: number } {
  return store.db
    .transaction(() => {
      const { catalog, syncState, scans } = store;
      // A delta older than what we hold (a reordered reply) must not move the cursor back.
      if (!batch.full && batch.cursor < syncState.cursor(batch.eventId)) return { applied: 0, dropped: 0, requeued: 0 };
      const snapshot = batch.full ? batch.cursor : 0;
      const self = store.device.get()?.device_id ?? null;
      const recheck = scans.hasUploadedAdmissions();
      let requeued = 0;
      // Keyed order: B-tree appends instead of random inserts, about twice as fast for a full snapshot.
      const seats = batch.seats.length > 1000 ? [...batch.seats].sort(bySeatId) : batch.seats;
      for (const s of seats) {
        catalog.upsertSeat(s, snapshot);
        if (recheck && s.admittedAt !== null && recheckLostAdmission(scans, s.seatId, { deviceId: s.admittedDevice }, self)) requeued++;
      }
      const dropped = batch.full ? catalog.dropSeatsMissingFrom(batch.eventId, snapshot) : 0;
      syncState.setCursor(batch.eventId, batch.cursor, at);
      return { applied: batch.seats.length, dropped, requeued };
    })
    .immediate();
}

function bySeatId(a: ServerSeat, b: ServerSeat): number {
  return a.seatId < b.seatId ? -1 : a.seatId > b.seatId ? 1 : 0;
}

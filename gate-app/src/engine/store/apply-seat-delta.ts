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
export function applySeatBatch(store: GateStore, batch: SeatBatch, at: number): { applied: number; dropped: number } {
  return store.db.transaction(() => {
    const { catalog, syncState } = store;
    // A delta older than what we hold (a reordered reply) must not move the cursor back.
    if (!batch.full && batch.cursor < syncState.cursor(batch.eventId)) return { applied: 0, dropped: 0 };
    const snapshot = batch.full ? batch.cursor : 0;
    for (const s of batch.seats) catalog.upsertSeat(s, snapshot);
    const dropped = batch.full ? catalog.dropSeatsMissingFrom(batch.eventId, snapshot) : 0;
    syncState.setCursor(batch.eventId, batch.cursor, at);
    return { applied: batch.seats.length, dropped };
  }).immediate();
}

// process: engine
import type { Db } from './open-database.js';

const HALL = 'hall';

export interface HallSyncState {
  lastSuccessAt: number | null;
  clockOffsetMs: number | null;
}

/** Cursor per event, and the hall's last successful sync and clock offset. */
export class SyncStateRepo {
  private readonly cursorStmt;
  private readonly setCursorStmt;
  private readonly hallStmt;
  private readonly successStmt;
  private readonly offsetStmt;

  constructor(db: Db) {
    this.cursorStmt = db.prepare<[string], { cursor: number | null }>('SELECT cursor FROM sync_state WHERE scope = ?');
    this.setCursorStmt = db.prepare(
      `INSERT INTO sync_state (scope, cursor, last_success_at) VALUES (?, ?, ?)
       ON CONFLICT (scope) DO UPDATE SET cursor = excluded.cursor, last_success_at = excluded.last_success_at`,
    );
    this.hallStmt = db.prepare<[], { last_success_at: number | null; clock_offset_ms: number | null }>(
      `SELECT last_success_at, clock_offset_ms FROM sync_state WHERE scope = '${HALL}'`,
    );
    this.successStmt = db.prepare(
      `INSERT INTO sync_state (scope, last_success_at) VALUES ('${HALL}', ?)
       ON CONFLICT (scope) DO UPDATE SET last_success_at = excluded.last_success_at`,
    );
    this.offsetStmt = db.prepare(
      `INSERT INTO sync_state (scope, clock_offset_ms) VALUES ('${HALL}', ?)
       ON CONFLICT (scope) DO UPDATE SET clock_offset_ms = excluded.clock_offset_ms`,
    );
  }

  cursor(eventId: string): number {
    return this.cursorStmt.get(eventId)?.cursor ?? 0;
  }

  setCursor(eventId: string, cursor: number, at: number): void {
    this.setCursorStmt.run(eventId, cursor, at);
  }

  hall(): HallSyncState {
    const r = this.hallStmt.get();
    return { lastSuccessAt: r?.last_success_at ?? null, clockOffsetMs: r?.clock_offset_ms ?? null };
  }

  recordSuccess(at: number): void {
    this.successStmt.run(at);
  }

  recordClockOffset(ms: number): void {
    this.offsetStmt.run(ms);
  }
}

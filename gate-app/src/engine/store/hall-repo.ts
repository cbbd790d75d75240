// process: engine
import type { sync } from '@ticketgate/protocol';
import type { Db } from './open-database.js';

/** Every hall's names as the last manifest listed them (kept offline, like the snapshot). */
export class HallRepo {
  private readonly getStmt;
  private readonly clearStmt;
  private readonly insertStmt;

  constructor(private readonly db: Db) {
    this.getStmt = db.prepare<[string], sync.HallName>('SELECT hall_id, hall_name, venue_name FROM halls WHERE hall_id = ?');
    this.clearStmt = db.prepare('DELETE FROM halls');
    this.insertStmt = db.prepare<[string, string, string]>('INSERT INTO halls (hall_id, hall_name, venue_name) VALUES (?, ?, ?)');
  }

  get(hallId: string): sync.HallName | undefined {
    return this.getStmt.get(hallId);
  }

  /** Called inside the manifest's transaction. An older server sends no halls: keep what is known. */
  replace(halls: readonly sync.HallName[]): void {
    if (halls.length === 0) return;
    this.clearStmt.run();
    for (const h of halls) this.insertStmt.run(h.hall_id, h.hall_name, h.venue_name);
  }
}

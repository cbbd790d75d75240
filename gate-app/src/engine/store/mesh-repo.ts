// process: engine
import type { mesh } from '@ticketgate/protocol';
import type { Db } from './open-database.js';
import type { ScanRow } from './scan-repo.js';

const OWN_CURSOR = 'mesh-own';

/**
 * The hall's admission records as the mesh knows them (docs/mesh.md): this
 * gate's own, numbered 1, 2, 3, … as it makes them, and its peers', kept so
 * they can be passed on to a gate that missed them. Per origin a contiguous
 * high-water mark says "every record up to here is held" — the digest.
 */
export class MeshRepo {
  private readonly insertStmt;
  private readonly highStmt;
  private readonly setHighStmt;
  private readonly hasSeqStmt;
  private readonly digestStmt;
  private readonly sinceStmt;
  private readonly nextOwnSeqStmt;
  private readonly ownCursorStmt;
  private readonly setOwnCursorStmt;
  private readonly newOwnStmt;
  private readonly revokedStmt;
  private readonly clearRevokedStmt;
  private readonly insertRevokedStmt;
  private readonly countStmt;

  constructor(private readonly db: Db) {
    this.insertStmt = db.prepare(
      `INSERT OR IGNORE INTO mesh_records (origin, seq, client_scan_id, seat_id, record, received_at) VALUES (?, ?, ?, ?, ?, ?)`,
    );
    this.highStmt = db.prepare<[string], { high_water: number }>('SELECT high_water FROM mesh_origins WHERE origin = ?');
    this.setHighStmt = db.prepare(
      `INSERT INTO mesh_origins (origin, high_water) VALUES (?, ?) ON CONFLICT (origin) DO UPDATE SET high_water = excluded.high_water`,
    );
    this.hasSeqStmt = db.prepare<[string, number], { x: number }>('SELECT 1 AS x FROM mesh_records WHERE origin = ? AND seq = ?');
    this.digestStmt = db.prepare<[number], { origin: string; high_water: number }>(
      'SELECT origin, high_water FROM mesh_origins ORDER BY origin LIMIT ?',
    );
    this.sinceStmt = db.prepare<[string, number, number], { record: string }>(
      'SELECT record FROM mesh_records WHERE origin = ? AND seq > ? ORDER BY seq LIMIT ?',
    );
    this.nextOwnSeqStmt = db.prepare<[string], { n: number }>('SELECT coalesce(max(seq), 0) + 1 AS n FROM mesh_records WHERE origin = ?');
    this.ownCursorStmt = db.prepare<[], { cursor: number | null }>(`SELECT cursor FROM sync_state WHERE scope = '${OWN_CURSOR}'`);
    this.setOwnCursorStmt = db.prepare(
      `INSERT INTO sync_state (scope, cursor) VALUES ('${OWN_CURSOR}', ?) ON CONFLICT (scope) DO UPDATE SET cursor = excluded.cursor`,
    );
    // The records a gate shares: its admissions (the mesh's one predicate over the journal).
    this.newOwnStmt = db.prepare<[number], ScanRow>(
      `SELECT * FROM scans WHERE seq > ? AND result = 'SUCCESS' AND annulled_at IS NULL ORDER BY seq`,
    );
    this.revokedStmt = db.prepare<[string], { x: number }>('SELECT 1 AS x FROM revoked_peers WHERE device_id = ?');
    this.clearRevokedStmt = db.prepare('DELETE FROM revoked_peers');
    this.insertRevokedStmt = db.prepare('INSERT OR IGNORE INTO revoked_peers (device_id) VALUES (?)');
    this.countStmt = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM mesh_records');
  }

  /** Stores a record and moves its origin's high-water mark over any run it completes. False when already held. Inside a transaction. */
  insert(r: mesh.MeshRecord, at: number): boolean {
    if (this.insertStmt.run(r.origin, r.seq, r.scan.client_scan_id, r.scan.seat_id, JSON.stringify(r), at).changes === 0) return false;
    let high = this.highWater(r.origin);
    while (this.hasSeqStmt.get(r.origin, high + 1)) high++;
    this.setHighStmt.run(r.origin, high);
    return true;
  }

  highWater(origin: string): number {
    return this.highStmt.get(origin)?.high_water ?? 0;
  }

  digest(maxOrigins: number): mesh.MeshDigest {
    return Object.fromEntries(this.digestStmt.all(maxOrigins).map((r) => [r.origin, r.high_water]));
  }

  /** Origins this gate holds records of. */
  origins(maxOrigins: number): string[] {
    return this.digestStmt.all(maxOrigins).map((r) => r.origin);
  }

  /** Records of `origin` past `after`, oldest first, at most `limit`. */
  since(origin: string, after: number, limit: number): mesh.MeshRecord[] {
    return this.sinceStmt.all(origin, after, limit).map((r) => JSON.parse(r.record) as mesh.MeshRecord);
  }

  /**
   * This gate's admissions not yet numbered for the mesh, numbered now (one
   * transaction). Runs after each verdict and at start, so an admission whose
   * process died before it was shared is shared on the next start.
   */
  adoptOwn(self: { deviceId: string; name: string }, toRecord: (r: ScanRow) => mesh.MeshRecord['scan'], at: number): mesh.MeshRecord[] {
    return this.db
      .transaction(() => {
        const rows = this.newOwnStmt.all(this.ownCursorStmt.get()?.cursor ?? 0);
        if (rows.length === 0) return [];
        let seq = this.nextOwnSeqStmt.get(self.deviceId)!.n;
        const out: mesh.MeshRecord[] = [];
        for (const row of rows) {
          const rec: mesh.MeshRecord = { origin: self.deviceId, seq: seq++, admitted_by: self.name.slice(0, 64), scan: toRecord(row) };
          if (this.insert(rec, at)) out.push(rec);
        }
        this.setOwnCursorStmt.run(rows[rows.length - 1]!.seq);
        return out;
      })
      .immediate();
  }

  isRevoked(deviceId: string): boolean {
    return this.revokedStmt.get(deviceId) !== undefined;
  }

  /** The manifest's list. Inside the manifest's transaction. */
  replaceRevoked(deviceIds: readonly string[]): void {
    this.clearRevokedStmt.run();
    for (const id of deviceIds) this.insertRevokedStmt.run(id);
  }

  count(): number {
    return this.countStmt.get()!.n;
  }
}

// process: engine
import type { admission, mesh } from '@ticketgate/protocol';
import type { Db } from './open-database.js';
import type { ScanRow } from './scan-repo.js';

const OWN_CURSOR = 'mesh-own';

/** A seat's admission or exit at another gate, with that gate's name (shown as "admitted by"). */
export interface PeerMovement extends admission.Movement {
  by: string;
}

/**
 * The hall's movement records as the mesh knows them (docs/mesh.md):
 * admissions, exits and annulments; this gate's own, numbered 1, 2, 3, … as it
 * makes them, and its peers', kept so
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
  private readonly newOwnAnnulledStmt;
  private readonly seatRecordsStmt;
  private readonly annulledStmt;

  constructor(private readonly db: Db) {
    this.insertStmt = db.prepare(
      `INSERT OR IGNORE INTO mesh_records (origin, seq, client_scan_id, seat_id, record, received_at, annulled) VALUES (?, ?, ?, ?, ?, ?, ?)`,
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
    // The records a gate shares: its admissions and its exits (those carrying the scanned code, their proof).
    this.newOwnStmt = db.prepare<[number], ScanRow>(
      `SELECT * FROM scans WHERE seq > ? AND result IN ('SUCCESS', 'EXITED') AND credential IS NOT NULL AND annulled_at IS NULL ORDER BY seq`,
    );
    // An annulment changes a scan already journalled (and usually already shared): it is shared once more, annulled.
    this.newOwnAnnulledStmt = db.prepare<[string], ScanRow>(
      `SELECT * FROM scans s WHERE s.annulled_at IS NOT NULL AND s.result IN ('SUCCESS', 'EXITED') AND s.credential IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM mesh_records m WHERE m.client_scan_id = s.client_scan_id AND m.annulled = 1 AND m.origin = ?)
        ORDER BY s.seq`,
    );
    this.seatRecordsStmt = db.prepare<[string, string], { record: string }>(
      'SELECT record FROM mesh_records WHERE seat_id = ? AND origin <> ? ORDER BY origin, seq',
    );
    this.annulledStmt = db.prepare<[string], { x: number }>('SELECT 1 AS x FROM mesh_records WHERE client_scan_id = ? AND annulled = 1');
    this.revokedStmt = db.prepare<[string], { x: number }>('SELECT 1 AS x FROM revoked_peers WHERE device_id = ?');
    this.clearRevokedStmt = db.prepare('DELETE FROM revoked_peers');
    this.insertRevokedStmt = db.prepare('INSERT OR IGNORE INTO revoked_peers (device_id) VALUES (?)');
    this.countStmt = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM mesh_records');
  }

  /** Stores a record and moves its origin's high-water mark over any run it completes. False when already held. Inside a transaction. */
  insert(r: mesh.MeshRecord, at: number): boolean {
    const annulled = r.scan.annulled_at ? 1 : 0;
    if (this.insertStmt.run(r.origin, r.seq, r.scan.client_scan_id, r.scan.seat_id, JSON.stringify(r), at, annulled).changes === 0)
      return false;
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
   * This gate's admissions, exits and annulments not yet numbered for the
   * mesh, numbered now (one transaction). Runs after each verdict and
   * annulment and at start, so a movement whose process died before it was
   * shared is shared on the next start.
   */
  adoptOwn(self: { deviceId: string; name: string }, toRecord: (r: ScanRow) => mesh.MeshRecord['scan'], at: number): mesh.MeshRecord[] {
    return this.db
      .transaction(() => {
        const fresh = this.newOwnStmt.all(this.ownCursorStmt.get()?.cursor ?? 0);
        if (fresh.length > 0) this.setOwnCursorStmt.run(fresh[fresh.length - 1]!.seq);
        // Read after the fresh ones: a scan annulled before it was ever shared travels once, annulled.
        const rows = [...fresh, ...this.newOwnAnnulledStmt.all(self.deviceId)];
        let seq = this.nextOwnSeqStmt.get(self.deviceId)!.n;
        const out: mesh.MeshRecord[] = [];
        for (const row of rows) {
          const rec: mesh.MeshRecord = { origin: self.deviceId, seq: seq++, admitted_by: self.name.slice(0, 64), scan: toRecord(row) };
          if (this.insert(rec, at)) out.push(rec);
        }
        return out;
      })
      .immediate();
  }

  /**
   * The seat's admissions and exits made at other gates, as this gate heard of
   * them, annulled ones left out: with its own journal, the history the one
   * admission rule walks.
   */
  peerMovements(seatId: string, selfDeviceId: string): PeerMovement[] {
    const byScan = new Map<string, mesh.MeshRecord>();
    for (const row of this.seatRecordsStmt.all(seatId, selfDeviceId)) {
      const r = JSON.parse(row.record) as mesh.MeshRecord;
      const held = byScan.get(r.scan.client_scan_id);
      if (!held || (r.scan.annulled_at && !held.scan.annulled_at)) byScan.set(r.scan.client_scan_id, r);
    }
    return [...byScan.values()]
      .filter((r) => !r.scan.annulled_at && (r.scan.result === 'SUCCESS' || r.scan.result === 'EXITED'))
      .map((r) => ({
        direction: r.scan.result === 'EXITED' ? ('exit' as const) : ('entry' as const),
        at: Date.parse(r.scan.scanned_at),
        deviceId: r.origin,
        scanId: r.scan.client_scan_id,
        by: r.admitted_by,
      }));
  }

  /** An annulment of this scan is held (it may arrive before the admission it annuls). */
  isAnnulled(clientScanId: string): boolean {
    return this.annulledStmt.get(clientScanId) !== undefined;
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

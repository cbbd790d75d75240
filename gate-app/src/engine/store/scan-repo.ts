// process: engine
import type { ScanResult, sync } from '@ticketgate/protocol';
import type { Db } from './open-database.js';

export interface ScanRecord {
  clientScanId: string;
  deviceTime: number;
  clockOffsetMs: number;
  source: string;
  result: ScanResult;
  reason: string | null;
  eventId: string | null;
  seatId: string | null;
  generation: number | null;
  hallId: string | null;
  /** The scanned credential of a SUCCESS or an EXITED (the proof the server and the mesh ask); null otherwise. */
  credential: string | null;
  direction: sync.Direction;
  /** The zone this gate stands at under the event's policy, null when none. */
  zone: string | null;
  /** SUCCESS: the entry's number for the seat at this gate (1 = first admission); null otherwise. */
  entryNo: number | null;
}

/** One of a seat's not annulled admissions or exits at this gate. */
export interface LocalMovement {
  client_scan_id: string;
  direction: sync.Direction;
  /** Corrected scan time (ms). */
  at: number;
}

/** People inside as this gate's journal counts them: its own entries minus exits, annulled ones left out. */
export interface LocalOccupancy {
  entries: number;
  exits: number;
  zones: { zone: string; entries: number; exits: number }[];
}

export interface ScanRow {
  seq: number;
  client_scan_id: string;
  device_time: number;
  clock_offset_ms: number;
  source: string;
  result: ScanResult;
  reason: string | null;
  event_id: string | null;
  seat_id: string | null;
  generation: number | null;
  hall_id: string | null;
  credential: string | null;
  upload_state: 'pending' | 'uploaded' | 'conflict' | 'rejected';
  uploaded_at: number | null;
  upload_note: string | null;
  direction: sync.Direction;
  annulled_at: number | null;
  zone: string | null;
  entry_no: number | null;
}

export interface ConflictRow {
  client_scan_id: string;
  seat_id: string;
  event_id: string;
  canonical_at: number;
  canonical_by: string;
  canonical_device: string | null;
  recorded_at: number;
  local_at: number;
}

export interface Conflict {
  clientScanId: string;
  seatId: string;
  eventId: string;
  canonicalAt: number;
  canonicalBy: string;
  canonicalDevice: string | null;
}

/** The scan journal and the conflicts the server reported for it. */
export class ScanRepo {
  private readonly insertStmt;
  private readonly pendingStmt;
  private readonly pendingCountStmt;
  private readonly markUploadedStmt;
  private readonly markRejectedStmt;
  private readonly rejectedCountStmt;
  private readonly insertConflictStmt;
  private readonly markConflictStmt;
  private readonly countsStmt;
  private readonly recentStmt;
  private readonly byIdStmt;
  private readonly conflictsStmt;
  private readonly conflictCountStmt;
  private readonly lastScanStmt;
  private readonly localAdmissionStmt;
  private readonly anyUploadedAdmissionStmt;
  private readonly requeueStmt;
  private readonly movementsStmt;
  private readonly annulStmt;
  private readonly occupancyStmt;

  constructor(db: Db) {
    this.insertStmt = db.prepare(
      `INSERT INTO scans (client_scan_id, device_time, clock_offset_ms, source, result, reason, event_id, seat_id, generation, hall_id, credential,
                          direction, zone, entry_no)
       VALUES (@clientScanId, @deviceTime, @clockOffsetMs, @source, @result, @reason, @eventId, @seatId, @generation, @hallId, @credential,
               @direction, @zone, @entryNo)`,
    );
    this.pendingStmt = db.prepare<[number], ScanRow>(`SELECT * FROM scans WHERE upload_state = 'pending' ORDER BY seq LIMIT ?`);
    this.pendingCountStmt = db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM scans WHERE upload_state = 'pending'`);
    this.markUploadedStmt = db.prepare(
      `UPDATE scans SET upload_state = 'uploaded', uploaded_at = ? WHERE client_scan_id = ? AND upload_state = 'pending'`,
    );
    this.markRejectedStmt = db.prepare(
      `UPDATE scans SET upload_state = 'rejected', uploaded_at = ?, upload_note = ? WHERE client_scan_id = ? AND upload_state = 'pending'`,
    );
    this.rejectedCountStmt = db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM scans WHERE upload_state = 'rejected'`);
    this.insertConflictStmt = db.prepare(
      `INSERT OR IGNORE INTO conflicts (client_scan_id, seat_id, event_id, canonical_at, canonical_by, canonical_device, recorded_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    this.markConflictStmt = db.prepare(
      `UPDATE scans SET upload_state = 'conflict', uploaded_at = COALESCE(uploaded_at, ?) WHERE client_scan_id = ?`,
    );
    this.countsStmt = db.prepare<[], { result: ScanResult; n: number }>('SELECT result, count(*) AS n FROM scans GROUP BY result');
    // The journal as the local API shows it: without the credentials (tickets a reader could replay within their minute).
    this.recentStmt = db.prepare<[number], Omit<ScanRow, 'credential'>>(
      `SELECT seq, client_scan_id, device_time, clock_offset_ms, source, result, reason, event_id, seat_id, generation, hall_id,
              upload_state, uploaded_at, upload_note, direction, annulled_at, zone, entry_no FROM scans ORDER BY seq DESC LIMIT ?`,
    );
    this.byIdStmt = db.prepare<[string], ScanRow>('SELECT * FROM scans WHERE client_scan_id = ?');
    this.conflictsStmt = db.prepare<[number], ConflictRow>(
      `SELECT c.*, s.device_time + s.clock_offset_ms AS local_at FROM conflicts c JOIN scans s USING (client_scan_id)
        ORDER BY c.recorded_at DESC LIMIT ?`,
    );
    this.conflictCountStmt = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM conflicts');
    this.localAdmissionStmt = db.prepare<[string], { client_scan_id: string; upload_state: ScanRow['upload_state'] }>(
      `SELECT client_scan_id, upload_state FROM scans WHERE seat_id = ? AND result = 'SUCCESS' AND annulled_at IS NULL
        ORDER BY entry_no LIMIT 1`,
    );
    this.anyUploadedAdmissionStmt = db.prepare<[], { x: number }>(
      `SELECT 1 AS x FROM scans WHERE result = 'SUCCESS' AND upload_state = 'uploaded' LIMIT 1`,
    );
    this.requeueStmt = db.prepare(`UPDATE scans SET upload_state = 'pending' WHERE client_scan_id = ? AND upload_state = 'uploaded'`);
    this.lastScanStmt = db.prepare<[], { at: number | null }>('SELECT max(device_time) AS at FROM scans');
    this.movementsStmt = db.prepare<[string], LocalMovement>(
      `SELECT client_scan_id, direction, device_time + clock_offset_ms AS at FROM scans
        WHERE seat_id = ? AND result IN ('SUCCESS', 'EXITED') AND annulled_at IS NULL ORDER BY seq`,
    );
    // An annulment already uploaded goes up again (pending) carrying it; one not yet uploaded goes up with it.
    this.annulStmt = db.prepare<[number, string], ScanRow>(
      `UPDATE scans SET annulled_at = ?, upload_state = CASE WHEN upload_state = 'uploaded' THEN 'pending' ELSE upload_state END
        WHERE client_scan_id = ? AND result IN ('SUCCESS', 'EXITED') AND annulled_at IS NULL RETURNING *`,
    );
    this.occupancyStmt = db.prepare<[], { zone: string | null; entries: number; exits: number }>(
      `SELECT s.zone, sum(s.result = 'SUCCESS') AS entries, sum(s.result = 'EXITED') AS exits
         FROM scans s JOIN events e ON e.event_id = s.event_id AND e.listed = 1
        WHERE s.result IN ('SUCCESS', 'EXITED') AND s.annulled_at IS NULL GROUP BY s.zone`,
    );
  }

  /** The seat's not annulled admissions and exits at this gate, oldest first. */
  movements(seatId: string): LocalMovement[] {
    return this.movementsStmt.all(seatId);
  }

  /** Marks a scan annulled (call inside the transaction that also frees the seat). Returns it, or undefined when not annullable. */
  annul(clientScanId: string, at: number): ScanRow | undefined {
    return this.annulStmt.get(at, clientScanId);
  }

  /** Entries and exits of the events the gate lists, per zone this gate stood at. */
  occupancy(): LocalOccupancy {
    const rows = this.occupancyStmt.all();
    return {
      entries: rows.reduce((n, r) => n + r.entries, 0),
      exits: rows.reduce((n, r) => n + r.exits, 0),
      zones: rows.filter((r) => r.zone !== null).map((r) => ({ zone: r.zone!, entries: r.entries, exits: r.exits })),
    };
  }

  insert(r: ScanRecord): void {
    this.insertStmt.run(r);
  }

  pending(limit: number): ScanRow[] {
    return this.pendingStmt.all(limit);
  }

  pendingCount(): number {
    return this.pendingCountStmt.get()!.n;
  }

  markUploaded(clientScanId: string, at: number): void {
    this.markUploadedStmt.run(at, clientScanId);
  }

  /**
   * This gate's admission of a seat, if any. Uses the one-SUCCESS-per-seat index.
   */
  localAdmission(seatId: string): { client_scan_id: string; upload_state: ScanRow['upload_state'] } | undefined {
    return this.localAdmissionStmt.get(seatId);
  }

  /** False on a gate that has no uploaded admission (a fresh one): snapshots then skip the per-seat check. */
  hasUploadedAdmissions(): boolean {
    return this.anyUploadedAdmissionStmt.get() !== undefined;
  }

  /**
   * Sends an uploaded admission again. Used when the server names another gate as
   * the seat's first admission after it had accepted ours: our upload came first,
   * the other gate's earlier scan came later, and only the server can say which
   * one lost. Re-sending is idempotent and its reply carries the conflict.
   */
  requeueAdmission(seatId: string): boolean {
    const mine = this.localAdmission(seatId);
    return mine !== undefined && this.requeueStmt.run(mine.client_scan_id).changes === 1;
  }

  /** The server will never store this scan: final, never resent. */
  markRejected(clientScanId: string, reason: string, at: number): void {
    this.markRejectedStmt.run(at, reason.slice(0, 200), clientScanId);
  }

  rejectedCount(): number {
    return this.rejectedCountStmt.get()!.n;
  }

  /** Idempotent: a conflict reported again (a retried upload) is recorded once. Returns true when new. */
  recordConflict(c: Conflict, at: number): boolean {
    const fresh =
      this.insertConflictStmt.run(c.clientScanId, c.seatId, c.eventId, c.canonicalAt, c.canonicalBy, c.canonicalDevice, at).changes === 1;
    this.markConflictStmt.run(at, c.clientScanId);
    return fresh;
  }

  countsByResult(): Partial<Record<ScanResult, number>> {
    const out: Partial<Record<ScanResult, number>> = {};
    for (const r of this.countsStmt.all()) out[r.result] = r.n;
    return out;
  }

  recent(limit: number): Omit<ScanRow, 'credential'>[] {
    return this.recentStmt.all(limit);
  }

  byClientId(clientScanId: string): ScanRow | undefined {
    return this.byIdStmt.get(clientScanId);
  }

  conflicts(limit: number): ConflictRow[] {
    return this.conflictsStmt.all(limit);
  }

  conflictCount(): number {
    return this.conflictCountStmt.get()!.n;
  }

  lastScanAt(): number | null {
    return this.lastScanStmt.get()!.at;
  }
}

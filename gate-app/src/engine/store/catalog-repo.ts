// process: engine
import type { sync } from '@ticketgate/protocol';

type SeatStatus = sync.SeatStatus;
import type { Db } from './open-database.js';

export interface EventRow {
  event_id: string;
  name: string;
  event_date: string;
  server_seq: number;
  listed: number;
  /** The event's admission policy as the signed manifest carried it (sync.AdmissionPolicy JSON); null: single entry. */
  policy: string | null;
}

export interface SeatRow {
  seat_id: string;
  event_id: string;
  row_label: string;
  seat_number: number;
  category: string;
  status: SeatStatus;
  generation: number;
  holder_name: string | null;
  admitted_at: number | null;
  admitted_by: string | null;
  admitted_source: 'local' | 'server' | null;
  /** Device id of the first admission (null for online staff or unknown). */
  admitted_device: string | null;
}

/** A seat as the server describes it; admittedAt in ms. */
export interface ServerSeat {
  seatId: string;
  eventId: string;
  row: string;
  number: number;
  category: string;
  status: SeatStatus;
  generation: number;
  holder: string | null;
  admittedAt: number | null;
  admittedBy: string | null;
  /** Admitting device (null for online staff). */
  admittedDevice: string | null;
}

export interface EventCounts {
  event_id: string;
  seats: number;
  sold: number;
  admitted: number;
}

export interface CatalogOptions {
  /**
   * Keep the holders' names the server sends (shown to the steward with a
   * verdict). False: the snapshot never stores them (names already stored are
   * erased when the store opens), so a lost kiosk holds none.
   */
  holderNames: boolean;
}

/** Events and seats of the hall: the snapshot the verifier decides on. */
export class CatalogRepo {
  private readonly eventStmt;
  private readonly upsertEventStmt;
  private readonly unlistStmt;
  private readonly seatStmt;
  private readonly upsertSeatStmt;
  private readonly dropUnlistedSeatsStmt;
  private readonly admitLocallyStmt;
  private readonly learnAdmissionStmt;
  private readonly countsStmt;
  private readonly eventsStmt;
  private readonly bumpSeqStmt;
  private readonly unadmitStmt;
  private readonly annulledHereStmt;
  private readonly holderNames: boolean;

  constructor(db: Db, opts: CatalogOptions = { holderNames: true }) {
    this.holderNames = opts.holderNames;
    if (!opts.holderNames) db.prepare('UPDATE seats SET holder_name = NULL WHERE holder_name IS NOT NULL').run();
    this.eventStmt = db.prepare<[string], EventRow>('SELECT * FROM events WHERE event_id = ?');
    this.eventsStmt = db.prepare<[], EventRow>('SELECT * FROM events ORDER BY event_date');
    this.upsertEventStmt = db.prepare(
      `INSERT INTO events (event_id, name, event_date, server_seq, listed, policy) VALUES (?, ?, ?, ?, 1, ?)
       ON CONFLICT (event_id) DO UPDATE SET name = excluded.name, event_date = excluded.event_date,
         server_seq = max(events.server_seq, excluded.server_seq), listed = 1, policy = excluded.policy`,
    );
    this.unlistStmt = db.prepare('UPDATE events SET listed = 0 WHERE event_id NOT IN (SELECT value FROM json_each(?))');
    this.bumpSeqStmt = db.prepare('UPDATE events SET server_seq = max(server_seq, ?) WHERE event_id = ?');
    this.seatStmt = db.prepare<[string], SeatRow>(
      `SELECT seat_id, event_id, row_label, seat_number, category, status, generation, holder_name,
              admitted_at, admitted_by, admitted_source, admitted_device FROM seats WHERE seat_id = ?`,
    );
    // The server's word on status, generation and holder always wins. Admissions
    // only accumulate: one this gate made (not yet uploaded) or learned from the
    // live stream is never erased by a tuple that predates it, so a seat is never
    // admissible again once anyone admitted it.
    this.upsertSeatStmt = db.prepare(
      `INSERT INTO seats (seat_id, event_id, row_label, seat_number, category, status, generation, holder_name,
                          admitted_at, admitted_by, admitted_source, admitted_device, snapshot)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (seat_id) DO UPDATE SET
         event_id = excluded.event_id, row_label = excluded.row_label, seat_number = excluded.seat_number,
         category = excluded.category, generation = excluded.generation, holder_name = excluded.holder_name,
         status = CASE WHEN excluded.status = 'SOLD' AND COALESCE(excluded.admitted_at, seats.admitted_at) IS NOT NULL
                       THEN 'CHECKED_IN' ELSE excluded.status END,
         admitted_by = CASE WHEN excluded.admitted_at IS NOT NULL THEN excluded.admitted_by ELSE seats.admitted_by END,
         admitted_source = CASE WHEN excluded.admitted_at IS NOT NULL THEN 'server' ELSE seats.admitted_source END,
         admitted_device = CASE WHEN excluded.admitted_at IS NOT NULL THEN excluded.admitted_device ELSE seats.admitted_device END,
         admitted_at = COALESCE(excluded.admitted_at, seats.admitted_at),
         snapshot = CASE WHEN excluded.snapshot > 0 THEN excluded.snapshot ELSE seats.snapshot END`,
    );
    // After a full snapshot: seats it no longer lists are gone, unless this gate admitted them.
    this.dropUnlistedSeatsStmt = db.prepare(`DELETE FROM seats WHERE event_id = ? AND snapshot <> ? AND admitted_source IS NOT 'local'`);
    this.admitLocallyStmt = db.prepare(
      `UPDATE seats SET status = 'CHECKED_IN', admitted_at = ?, admitted_by = ?, admitted_device = ?, admitted_source = 'local'
        WHERE seat_id = ? AND admitted_at IS NULL`,
    );
    this.learnAdmissionStmt = db.prepare(
      `UPDATE seats SET admitted_at = ?, admitted_by = ?, admitted_device = ?, admitted_source = 'server',
              status = CASE WHEN status = 'SOLD' THEN 'CHECKED_IN' ELSE status END
        WHERE seat_id = ? AND event_id = ?`,
    );
    // Only the admission this gate made (or the server's echo of it): a canonical admission by anyone else stands.
    this.unadmitStmt = db.prepare(
      `UPDATE seats SET status = CASE WHEN status = 'CHECKED_IN' THEN 'SOLD' ELSE status END,
              admitted_at = NULL, admitted_by = NULL, admitted_device = NULL, admitted_source = NULL
        WHERE seat_id = ? AND admitted_at = ? AND (admitted_source = 'local' OR admitted_device IS ?)`,
    );
    // By device, not by time: the server may have clamped the scan time of our upload to its arrival.
    // The same for a peer's annulment the mesh brought (docs/mesh.md) before that peer's upload reached the server.
    this.annulledHereStmt = db.prepare<{ seat: string; device: string | null }, { x: number }>(
      `SELECT 1 AS x FROM scans
        WHERE seat_id = @seat AND result = 'SUCCESS' AND annulled_at IS NOT NULL
          AND @device IS (SELECT device_id FROM device WHERE id = 1)
          AND NOT EXISTS (SELECT 1 FROM scans WHERE seat_id = @seat AND result = 'SUCCESS' AND annulled_at IS NULL)
       UNION ALL
       SELECT 1 AS x FROM mesh_records a
        WHERE a.seat_id = @seat AND a.origin = @device AND a.annulled = 1
          AND NOT EXISTS (SELECT 1 FROM mesh_records b
                           WHERE b.seat_id = @seat AND b.origin = @device AND b.annulled = 0
                             AND json_extract(b.record, '$.scan.result') = 'SUCCESS'
                             AND NOT EXISTS (SELECT 1 FROM mesh_records c WHERE c.client_scan_id = b.client_scan_id AND c.annulled = 1))
       LIMIT 1`,
    );
    this.countsStmt = db.prepare<[], EventCounts>(
      `SELECT event_id, count(*) AS seats,
              sum(status IN ('SOLD', 'CHECKED_IN')) AS sold, sum(admitted_at IS NOT NULL) AS admitted
         FROM seats GROUP BY event_id`,
    );
  }

  event(eventId: string): EventRow | undefined {
    return this.eventStmt.get(eventId);
  }

  events(): EventRow[] {
    return this.eventsStmt.all();
  }

  /** The hall manifest's event list: upserts them and unlists the rest. */
  saveEvents(events: { eventId: string; name: string; eventDate: string; seq: number; policy?: sync.AdmissionPolicy | null }[]): void {
    for (const e of events) this.upsertEventStmt.run(e.eventId, e.name, e.eventDate, e.seq, e.policy ? JSON.stringify(e.policy) : null);
    this.unlistStmt.run(JSON.stringify(events.map((e) => e.eventId)));
  }

  /** The live stream announced a newer sequence for an event. */
  noteServerSeq(eventId: string, seq: number): void {
    this.bumpSeqStmt.run(seq, eventId);
  }

  seat(seatId: string): SeatRow | undefined {
    return this.seatStmt.get(seatId);
  }

  /** `snapshot` is the cursor of the full snapshot listing the seat, 0 for a delta. Call inside a transaction. */
  upsertSeat(s: ServerSeat, snapshot: number): void {
    // The server's echo of an admission this gate has annulled since (its annulment not uploaded yet) is not news.
    if (s.admittedAt !== null && this.annulledHere(s.seatId, s.admittedDevice))
      s = { ...s, status: s.status === 'CHECKED_IN' ? 'SOLD' : s.status, admittedAt: null, admittedBy: null, admittedDevice: null };
    // Positional binding: measurably cheaper than named parameters at 100,000 rows.
    const admitted = s.admittedAt !== null;
    this.upsertSeatStmt.run(
      s.seatId,
      s.eventId,
      s.row,
      s.number,
      s.category,
      admitted && s.status === 'SOLD' ? 'CHECKED_IN' : s.status,
      s.generation,
      this.holderNames ? s.holder : null,
      s.admittedAt,
      admitted ? s.admittedBy : null,
      admitted ? 'server' : null,
      admitted ? s.admittedDevice : null,
      snapshot,
    );
  }

  dropSeatsMissingFrom(eventId: string, snapshot: number): number {
    return this.dropUnlistedSeatsStmt.run(eventId, snapshot).changes;
  }

  admitLocally(seatId: string, at: number, by: { name: string; deviceId: string | null }): boolean {
    return this.admitLocallyStmt.run(at, by.name, by.deviceId, seatId).changes === 1;
  }

  /** Undoes this gate's admission of a seat made at `at` (annulled: nobody passed); true when the seat is admissible again. */
  unadmit(seatId: string, at: number, deviceId: string | null): boolean {
    return this.unadmitStmt.run(seatId, at, deviceId).changes === 1;
  }

  /** A canonical admission from the server: it replaces whatever this gate believed. */
  learnAdmission(eventId: string, seatId: string, at: number, by: { name: string; deviceId: string | null }): boolean {
    if (this.annulledHere(seatId, by.deviceId)) return false;
    return this.learnAdmissionStmt.run(at, by.name, by.deviceId, seatId, eventId).changes === 1;
  }

  /** An admission by `deviceId` was annulled since (nobody passed) — here, or at a peer as the mesh says — and that device has no other admission of the seat. */
  private annulledHere(seatId: string, deviceId: string | null): boolean {
    return this.annulledHereStmt.get({ seat: seatId, device: deviceId }) !== undefined;
  }

  counts(): EventCounts[] {
    return this.countsStmt.all();
  }
}

// process: engine
import type { Db } from './open-database.js';

export interface DeviceRow {
  box_key_pair: string;
  device_id: string | null;
  device_name: string | null;
  device_token: string | null;
  server_url: string | null;
  hall_id: string | null;
  hall_name: string | null;
  venue_name: string | null;
  enrolled_at: number | null;
  revoked_at: number | null;
  revoked_note: string | null;
  /** Encoded sync public key the gate trusts (encodeSyncPublicKey); null before a v3 enrolment. */
  sync_key: string | null;
  /** This gate's Ed25519 mesh key pair (encodeMeshKeyPair); created on first use. */
  mesh_key_pair: string | null;
  /** The server's certificate for the mesh key (docs/mesh.md); null until the server issued one. */
  mesh_cert: string | null;
}

export interface Enrolment {
  deviceId: string;
  deviceToken: string;
  deviceName: string;
  hallId: string;
  serverUrl: string;
  /** The sync public key from the authenticated enrolment reply. */
  syncKey: string;
  at: number;
}

/** The single `device` row: this gate's identity, credential and box key pair. */
export class DeviceRepo {
  private readonly getStmt;
  private readonly insertKeyStmt;
  private readonly enrolStmt;
  private readonly hallStmt;
  private readonly revokeStmt;
  private readonly pinStmt;
  private readonly meshKeyStmt;
  private readonly meshCertStmt;

  constructor(db: Db) {
    this.getStmt = db.prepare<[], DeviceRow>('SELECT * FROM device WHERE id = 1');
    this.insertKeyStmt = db.prepare('INSERT OR IGNORE INTO device (id, box_key_pair) VALUES (1, ?)');
    // A new enrolment replaces the identity but keeps the box key pair, the snapshot and the scans.
    this.enrolStmt = db.prepare(
      `UPDATE device SET device_id = @deviceId, device_token = @deviceToken, device_name = @deviceName, hall_id = @hallId,
              server_url = @serverUrl, sync_key = @syncKey, enrolled_at = @at, revoked_at = NULL, revoked_note = NULL WHERE id = 1`,
    );
    this.hallStmt = db.prepare('UPDATE device SET hall_name = ?, venue_name = ?, device_name = ? WHERE id = 1');
    this.pinStmt = db.prepare('UPDATE device SET sync_key = ? WHERE id = 1');
    this.meshKeyStmt = db.prepare('UPDATE device SET mesh_key_pair = ? WHERE id = 1 AND mesh_key_pair IS NULL');
    this.meshCertStmt = db.prepare('UPDATE device SET mesh_cert = ? WHERE id = 1');
    this.revokeStmt = db.prepare('UPDATE device SET revoked_at = COALESCE(revoked_at, ?), revoked_note = ? WHERE id = 1');
  }

  get(): DeviceRow | undefined {
    return this.getStmt.get();
  }

  /** Returns the stored box key pair, creating it on first use (before enrolment, so a crash mid-enrolment keeps it). */
  boxKeyPair(generate: () => string): string {
    this.insertKeyStmt.run(generate());
    return this.get()!.box_key_pair;
  }

  saveEnrolment(e: Enrolment): void {
    this.enrolStmt.run(e);
  }

  saveHall(hallName: string, venueName: string, deviceName: string): void {
    this.hallStmt.run(hallName, venueName, deviceName);
  }

  /** A rotation the pinned key endorsed: the successor becomes the pinned key. */
  pinSyncKey(encoded: string): void {
    this.pinStmt.run(encoded);
  }

  /** The stored mesh key pair, created on first use (like the box key: it survives re-enrolment). */
  meshKeyPair(generate: () => string): string {
    const stored = this.get()?.mesh_key_pair;
    if (stored) return stored;
    this.meshKeyStmt.run(generate());
    return this.get()!.mesh_key_pair!;
  }

  saveMeshCert(cert: string): void {
    this.meshCertStmt.run(cert);
  }

  markRevoked(at: number, note: string): void {
    this.revokeStmt.run(at, note);
  }
}

// process: engine
/**
 * The gate's SQLite schema (docs/gate.md). Versioned with PRAGMA user_version so a
 * kiosk updated in the field upgrades its data folder in place.
 *
 * Times are integer milliseconds since the epoch (UTC); they only become ISO
 * strings on the wire and in the local API.
 */
export const SCHEMA_VERSION = 8;

export const SCHEMA_V1 = `
-- Who this gate is. One row. The device token and the box private key live here,
-- which is why the database file is created 0600 (see open-database.ts).
CREATE TABLE device (
  id            INTEGER PRIMARY KEY CHECK (id = 1),
  box_key_pair  TEXT NOT NULL,
  device_id     TEXT,
  device_name   TEXT,
  device_token  TEXT,
  server_url    TEXT,
  hall_id       TEXT,
  hall_name     TEXT,
  venue_name    TEXT,
  enrolled_at   INTEGER,
  revoked_at    INTEGER,
  revoked_note  TEXT
);

CREATE TABLE events (
  event_id    TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  event_date  TEXT NOT NULL,
  -- The server's sequence as last announced by the manifest or the live stream.
  server_seq  INTEGER NOT NULL DEFAULT 0,
  -- 0 once the event dropped out of the hall manifest (past events): kept for lookups.
  listed      INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE seats (
  seat_id      TEXT PRIMARY KEY,
  event_id     TEXT NOT NULL REFERENCES events (event_id),
  row_label    TEXT NOT NULL,
  seat_number  INTEGER NOT NULL,
  category     TEXT NOT NULL,
  status       TEXT NOT NULL CHECK (status IN ('AVAILABLE', 'HELD', 'SOLD', 'CHECKED_IN')),
  generation   INTEGER NOT NULL,
  holder_name  TEXT,
  -- The first admission this gate knows of: its own, or the canonical one from the server.
  admitted_at  INTEGER,
  admitted_by  TEXT,
  admitted_source TEXT CHECK (admitted_source IN ('local', 'server')),
  -- Cursor of the full snapshot that last listed the seat (seats a newer snapshot omits are dropped).
  snapshot     INTEGER NOT NULL DEFAULT 0,
  CHECK ((admitted_at IS NULL) = (admitted_source IS NULL))
) WITHOUT ROWID;
CREATE INDEX seats_event_idx ON seats (event_id);

-- Gate keys arrive sealed to this device's box key and are opened when the verifier is built.
CREATE TABLE keys (
  kind      TEXT NOT NULL CHECK (kind IN ('gate', 'issuing')),
  kid       TEXT NOT NULL,
  event_id  TEXT,
  material  TEXT NOT NULL,
  PRIMARY KEY (kind, material)
);

-- Every scan, pass or fail, in the order it happened.
CREATE TABLE scans (
  seq             INTEGER PRIMARY KEY AUTOINCREMENT,
  client_scan_id  TEXT NOT NULL UNIQUE,
  device_time     INTEGER NOT NULL,
  clock_offset_ms INTEGER NOT NULL,
  source          TEXT NOT NULL,
  result          TEXT NOT NULL CHECK (result IN ('SUCCESS', 'DUPLICATE', 'UNPAID', 'NOT_FOUND', 'WRONG_HALL', 'EXPIRED', 'QR_INVALID')),
  reason          TEXT,
  event_id        TEXT,
  seat_id         TEXT,
  generation      INTEGER,
  hall_id         TEXT,
  -- rejected: the server will never store it (its reason in upload_note); final, like uploaded.
  upload_state    TEXT NOT NULL DEFAULT 'pending' CHECK (upload_state IN ('pending', 'uploaded', 'conflict', 'rejected')),
  uploaded_at     INTEGER,
  upload_note     TEXT,
  CHECK (result <> 'SUCCESS' OR seat_id IS NOT NULL)
);
CREATE INDEX scans_pending_idx ON scans (seq) WHERE upload_state = 'pending';
-- One admission per seat at this gate, whatever happens above: the verifier checks
-- first, the database refuses a second SUCCESS regardless.
CREATE UNIQUE INDEX scans_one_success_per_seat ON scans (seat_id) WHERE result = 'SUCCESS';

-- Admissions of this gate that the server says lost to an earlier one elsewhere.
CREATE TABLE conflicts (
  client_scan_id   TEXT PRIMARY KEY REFERENCES scans (client_scan_id),
  seat_id          TEXT NOT NULL,
  event_id         TEXT NOT NULL,
  canonical_at     INTEGER NOT NULL,
  canonical_by     TEXT NOT NULL,
  canonical_device TEXT,
  recorded_at      INTEGER NOT NULL
);

-- Sync bookkeeping: scope 'hall' (last success, clock offset) or an event id (cursor).
CREATE TABLE sync_state (
  scope            TEXT PRIMARY KEY,
  cursor           INTEGER,
  last_success_at  INTEGER,
  clock_offset_ms  INTEGER
);
`;

/** v2: the admitting device of a seat's first admission, so gates compare admissions by device id, not by (non-unique) name. */
export const SCHEMA_V2 = `
ALTER TABLE seats ADD COLUMN admitted_device TEXT;
`;

/**
 * v3: the scanned credential of each admission, uploaded as its proof (the
 * server counts no SUCCESS without one). Null for other verdicts, and for
 * admissions recorded before v3 (the server refuses those as `no_proof`).
 */
export const SCHEMA_V3 = `
ALTER TABLE scans ADD COLUMN credential TEXT;
`;

/**
 * v4: the server's sync public key, pinned at enrolment (bound to the code) and
 * moved on only along a rotation chain the pinned key signed. A folder enrolled
 * before v4 has none and must be enrolled again before it syncs.
 */
export const SCHEMA_V4 = `
ALTER TABLE device ADD COLUMN sync_key TEXT;
`;

/** v5: every hall's names from the manifest, so a WRONG_HALL verdict names the right door. */
export const SCHEMA_V5 = `
CREATE TABLE halls (
  hall_id     TEXT PRIMARY KEY,
  hall_name   TEXT NOT NULL,
  venue_name  TEXT NOT NULL
) WITHOUT ROWID;
`;

/**
 * v6: entry and exit scans, annulled admissions, the events' admission policies.
 *
 * The scan journal is rebuilt (SQLite cannot widen a CHECK in place) with the
 * policy's verdicts, a direction, an annulment time (a turnstile nobody passed),
 * the zone the gate stood at, and the entry's number for the seat: one admission
 * per seat becomes one admission per (seat, entry number) among those not
 * annulled, so a re-entry is a new row while two scans deciding the same entry
 * still cannot both succeed. conflicts references scans, so it moves along
 * (child first out, parent first in); the renames carry the reference over.
 */
export const SCHEMA_V6 = `
ALTER TABLE events ADD COLUMN policy TEXT;

CREATE TABLE scans_v6 (
  seq             INTEGER PRIMARY KEY AUTOINCREMENT,
  client_scan_id  TEXT NOT NULL UNIQUE,
  device_time     INTEGER NOT NULL,
  clock_offset_ms INTEGER NOT NULL,
  source          TEXT NOT NULL,
  result          TEXT NOT NULL CHECK (result IN ('SUCCESS', 'DUPLICATE', 'UNPAID', 'NOT_FOUND', 'WRONG_HALL', 'EXPIRED', 'QR_INVALID',
                                                  'NOT_YET_OPEN', 'ENTRY_CLOSED', 'WRONG_ZONE', 'ENTRY_LIMIT', 'EXITED', 'NOT_INSIDE')),
  reason          TEXT,
  event_id        TEXT,
  seat_id         TEXT,
  generation      INTEGER,
  hall_id         TEXT,
  upload_state    TEXT NOT NULL DEFAULT 'pending' CHECK (upload_state IN ('pending', 'uploaded', 'conflict', 'rejected')),
  uploaded_at     INTEGER,
  upload_note     TEXT,
  credential      TEXT,
  direction       TEXT NOT NULL DEFAULT 'entry' CHECK (direction IN ('entry', 'exit')),
  -- Set when the turnstile opened for this scan and nobody passed: the scan then counts for nothing.
  annulled_at     INTEGER,
  zone            TEXT,
  -- SUCCESS only: 1 for the seat's first admission at this gate, 2 for its first re-entry, …
  entry_no        INTEGER,
  CHECK (result <> 'SUCCESS' OR (seat_id IS NOT NULL AND entry_no IS NOT NULL))
);
INSERT INTO scans_v6 (seq, client_scan_id, device_time, clock_offset_ms, source, result, reason, event_id, seat_id, generation, hall_id,
                      upload_state, uploaded_at, upload_note, credential, entry_no)
  SELECT seq, client_scan_id, device_time, clock_offset_ms, source, result, reason, event_id, seat_id, generation, hall_id,
         upload_state, uploaded_at, upload_note, credential, CASE WHEN result = 'SUCCESS' THEN 1 END
    FROM scans;
CREATE TABLE conflicts_v6 (
  client_scan_id   TEXT PRIMARY KEY REFERENCES scans_v6 (client_scan_id),
  seat_id          TEXT NOT NULL,
  event_id         TEXT NOT NULL,
  canonical_at     INTEGER NOT NULL,
  canonical_by     TEXT NOT NULL,
  canonical_device TEXT,
  recorded_at      INTEGER NOT NULL
);
INSERT INTO conflicts_v6 SELECT client_scan_id, seat_id, event_id, canonical_at, canonical_by, canonical_device, recorded_at FROM conflicts;
DROP TABLE conflicts;
DROP TABLE scans;
ALTER TABLE scans_v6 RENAME TO scans;
ALTER TABLE conflicts_v6 RENAME TO conflicts;
CREATE INDEX scans_pending_idx ON scans (seq) WHERE upload_state = 'pending';
CREATE UNIQUE INDEX scans_one_success_per_entry ON scans (seat_id, entry_no) WHERE result = 'SUCCESS' AND annulled_at IS NULL;
CREATE INDEX scans_movements_idx ON scans (seat_id) WHERE result IN ('SUCCESS', 'EXITED') AND annulled_at IS NULL;
-- The server's echo of an admission this gate annulled must not check the seat in again.
CREATE INDEX scans_annulled_idx ON scans (seat_id) WHERE annulled_at IS NOT NULL;
`;

/**
 * v7: the hall mesh (docs/mesh.md). The gate's own Ed25519 mesh key and the
 * certificate the server issued for it; the hall's revoked devices (from the
 * manifest); and every admission record of the hall this gate holds — its own
 * and its peers' — numbered per admitting device, with each origin's contiguous
 * high-water mark (what a digest tells a peer).
 */
export const SCHEMA_V7 = `
ALTER TABLE device ADD COLUMN mesh_key_pair TEXT;
ALTER TABLE device ADD COLUMN mesh_cert TEXT;
CREATE TABLE revoked_peers (
  device_id  TEXT PRIMARY KEY
) WITHOUT ROWID;
CREATE TABLE mesh_records (
  origin          TEXT NOT NULL,
  seq             INTEGER NOT NULL,
  client_scan_id  TEXT NOT NULL UNIQUE,
  seat_id         TEXT,
  -- The record as the mesh carries it (protocol mesh.MeshRecord, JSON).
  record          TEXT NOT NULL,
  received_at     INTEGER NOT NULL,
  PRIMARY KEY (origin, seq)
) WITHOUT ROWID;
CREATE TABLE mesh_origins (
  origin      TEXT PRIMARY KEY,
  high_water  INTEGER NOT NULL
) WITHOUT ROWID;
`;

/**
 * v8: the mesh carries exits and annulments too (docs/mesh.md). An annulment
 * travels as a second record of the same scan, so one scan may now have two
 * records (no longer unique by client scan id); `annulled` marks the annulment
 * records, and the seat index serves the history a verdict reads.
 */
export const SCHEMA_V8 = `
CREATE TABLE mesh_records_v8 (
  origin          TEXT NOT NULL,
  seq             INTEGER NOT NULL,
  client_scan_id  TEXT NOT NULL,
  seat_id         TEXT,
  -- The record as the mesh carries it (protocol mesh.MeshRecord, JSON).
  record          TEXT NOT NULL,
  received_at     INTEGER NOT NULL,
  annulled        INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (origin, seq)
) WITHOUT ROWID;
INSERT INTO mesh_records_v8 (origin, seq, client_scan_id, seat_id, record, received_at)
  SELECT origin, seq, client_scan_id, seat_id, record, received_at FROM mesh_records;
DROP TABLE mesh_records;
ALTER TABLE mesh_records_v8 RENAME TO mesh_records;
CREATE INDEX mesh_records_seat_idx ON mesh_records (seat_id);
CREATE INDEX mesh_records_scan_idx ON mesh_records (client_scan_id, annulled);
`;

-- Up Migration
-- Entry and exit scans, admissions annulled by a turnstile nobody passed, and
-- each event's admission policy (docs/api.md, "Admission policy").

-- The new verdicts of the admission policy and of exits.
ALTER TABLE scans DROP CONSTRAINT scans_result_check;
ALTER TABLE scans ADD CONSTRAINT scans_result_check CHECK (result IN (
  'SUCCESS', 'DUPLICATE', 'UNPAID', 'NOT_FOUND', 'WRONG_HALL', 'EXPIRED', 'QR_INVALID',
  'NOT_YET_OPEN', 'ENTRY_CLOSED', 'WRONG_ZONE', 'ENTRY_LIMIT', 'EXITED', 'NOT_INSIDE'));
ALTER TABLE scans
  ADD COLUMN direction   text NOT NULL DEFAULT 'entry' CHECK (direction IN ('entry', 'exit')),
  -- A SUCCESS whose turnstile nobody passed: it counts for nothing (not an admission, not inside).
  ADD COLUMN annulled_at timestamptz,
  -- A later entry the policy allowed (after an exit, on a new day): counted, but not THE admission.
  ADD COLUMN re_entry    boolean NOT NULL DEFAULT false,
  -- The zone of the gate (or staff member) at the scan, as the policy placed it then.
  ADD COLUMN zone        text,
  ADD CONSTRAINT scans_reentry_is_admission CHECK (NOT re_entry OR (result = 'SUCCESS' AND NOT is_conflict));

-- One canonical admission per seat: re-entries and annulled admissions are not it.
DROP INDEX scans_one_admission_per_seat;
CREATE UNIQUE INDEX scans_one_admission_per_seat ON scans (seat_id)
  WHERE result = 'SUCCESS' AND NOT is_conflict AND NOT re_entry AND annulled_at IS NULL;
-- The election reads a seat's exits beside its admissions; occupancy counts both per event.
CREATE INDEX scans_seat_exits_idx ON scans (seat_id, scanned_at) WHERE result = 'EXITED';
CREATE INDEX scans_movements_idx ON scans (event_id) WHERE result IN ('SUCCESS', 'EXITED') AND annulled_at IS NULL;

-- Only a canonical admission goes out on the live stream: never a re-entry or an annulled one.
DROP TRIGGER scans_live_on_insert ON scans;
DROP TRIGGER scans_live_on_promote ON scans;
CREATE TRIGGER scans_live_on_insert AFTER INSERT ON scans FOR EACH ROW
  WHEN (NEW.result = 'SUCCESS' AND NOT NEW.is_conflict AND NOT NEW.re_entry AND NEW.annulled_at IS NULL)
  EXECUTE FUNCTION sync_live_admission();
CREATE TRIGGER scans_live_on_promote AFTER UPDATE OF is_conflict, re_entry ON scans FOR EACH ROW
  WHEN (NEW.result = 'SUCCESS' AND (OLD.is_conflict OR OLD.re_entry) AND NOT NEW.is_conflict AND NOT NEW.re_entry AND NEW.annulled_at IS NULL)
  EXECUTE FUNCTION sync_live_admission();

-- An event's admission policy (sync.AdmissionPolicy, validated on write); no row: single entry.
CREATE TABLE event_admission_policies (
  event_id   uuid PRIMARY KEY REFERENCES events (id) ON DELETE CASCADE,
  policy     jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by uuid REFERENCES users (id)
);

-- Down Migration
DROP TABLE IF EXISTS event_admission_policies;
DROP TRIGGER IF EXISTS scans_live_on_promote ON scans;
DROP TRIGGER IF EXISTS scans_live_on_insert ON scans;
CREATE TRIGGER scans_live_on_insert AFTER INSERT ON scans FOR EACH ROW
  WHEN (NEW.result = 'SUCCESS' AND NOT NEW.is_conflict) EXECUTE FUNCTION sync_live_admission();
CREATE TRIGGER scans_live_on_promote AFTER UPDATE OF is_conflict ON scans FOR EACH ROW
  WHEN (NEW.result = 'SUCCESS' AND OLD.is_conflict AND NOT NEW.is_conflict) EXECUTE FUNCTION sync_live_admission();
DROP INDEX IF EXISTS scans_movements_idx;
DROP INDEX IF EXISTS scans_seat_exits_idx;
DROP INDEX IF EXISTS scans_one_admission_per_seat;
DELETE FROM scans WHERE result IN ('NOT_YET_OPEN', 'ENTRY_CLOSED', 'WRONG_ZONE', 'ENTRY_LIMIT', 'EXITED', 'NOT_INSIDE') OR re_entry OR annulled_at IS NOT NULL;
CREATE UNIQUE INDEX scans_one_admission_per_seat ON scans (seat_id) WHERE result = 'SUCCESS' AND NOT is_conflict;
ALTER TABLE scans DROP CONSTRAINT IF EXISTS scans_reentry_is_admission;
ALTER TABLE scans DROP COLUMN IF EXISTS zone, DROP COLUMN IF EXISTS re_entry, DROP COLUMN IF EXISTS annulled_at, DROP COLUMN IF EXISTS direction;
ALTER TABLE scans DROP CONSTRAINT scans_result_check;
ALTER TABLE scans ADD CONSTRAINT scans_result_check CHECK (result IN ('SUCCESS', 'DUPLICATE', 'UNPAID', 'NOT_FOUND', 'WRONG_HALL', 'EXPIRED', 'QR_INVALID'));

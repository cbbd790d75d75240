-- Up Migration
-- Admissions with proof (docs/sync-protocol.md, "Admissions with proof"): the
-- server believes an uploaded SUCCESS only when the seat was sold, at the
-- credential's generation, at the scan time, inside the event's admission window.

-- Who held which generation of a seat, and when: one row per sale, transfer or
-- reissue, closed when the next one replaces it. Kept by trigger in the same
-- transaction as the seat change, so no code path (purchase, transfer, dispute,
-- a fixture in SQL) can change a seat without its history.
CREATE TABLE seat_generations (
  id            bigserial PRIMARY KEY,
  seat_id       uuid NOT NULL REFERENCES seats (id) ON DELETE CASCADE,
  generation    integer NOT NULL,
  owner_user_id uuid NOT NULL REFERENCES users (id),
  valid_from    timestamptz NOT NULL,
  valid_until   timestamptz,
  CONSTRAINT seat_generations_period CHECK (valid_until IS NULL OR valid_until >= valid_from)
);
CREATE INDEX seat_generations_seat_idx ON seat_generations (seat_id, valid_from);
CREATE UNIQUE INDEX seat_generations_one_open ON seat_generations (seat_id) WHERE valid_until IS NULL;

CREATE FUNCTION seats_track_generations() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  held_before boolean := false;
  held_now    boolean := NEW.status IN ('SOLD', 'CHECKED_IN');
  changed     boolean := true;
BEGIN
  IF TG_OP = 'UPDATE' THEN
    held_before := OLD.status IN ('SOLD', 'CHECKED_IN');
    changed := OLD.generation <> NEW.generation OR OLD.owner_user_id IS DISTINCT FROM NEW.owner_user_id;
  END IF;
  IF held_before AND (NOT held_now OR changed) THEN
    UPDATE seat_generations SET valid_until = now() WHERE seat_id = NEW.id AND valid_until IS NULL;
  END IF;
  IF held_now AND (NOT held_before OR changed) THEN
    INSERT INTO seat_generations (seat_id, generation, owner_user_id, valid_from) VALUES (NEW.id, NEW.generation, NEW.owner_user_id, now());
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER seats_generation_history AFTER INSERT OR UPDATE OF status, owner_user_id, generation ON seats
  FOR EACH ROW EXECUTE FUNCTION seats_track_generations();

-- Seats sold before this migration: their current holding, from the latest
-- transfer or confirmed order that explains it (else the event's creation, the
-- earliest a seat of it could be sold).
INSERT INTO seat_generations (seat_id, generation, owner_user_id, valid_from)
SELECT s.id, s.generation, s.owner_user_id,
       COALESCE((SELECT max(COALESCE(t.resolved_at, t.completed_at)) FROM transfers t WHERE t.seat_id = s.id AND t.completed_at IS NOT NULL),
                (SELECT max(o.confirmed_at) FROM orders o WHERE o.seat_id = s.id AND o.status = 'CONFIRMED'),
                e.created_at)
  FROM seats s JOIN events e ON e.id = s.event_id
 WHERE s.status IN ('SOLD', 'CHECKED_IN');

-- An event's admission window, per event; null ends take the server's defaults
-- (from the sale; until event_date + ADMISSION_CLOSE_AFTER_HOURS; skew ADMISSION_SKEW_SECONDS).
ALTER TABLE events
  ADD COLUMN admission_opens_at     timestamptz,
  ADD COLUMN admission_closes_at    timestamptz,
  ADD COLUMN admission_skew_seconds integer CHECK (admission_skew_seconds BETWEEN 0 AND 86400),
  ADD CONSTRAINT events_admission_window CHECK (admission_opens_at IS NULL OR admission_closes_at IS NULL OR admission_opens_at < admission_closes_at);

-- Uploaded scans the server refused to count, with the reason: never a seat
-- change, kept for operators (device view, sync stats, /metrics). Ids are kept
-- as uploaded, without foreign keys: a refused upload may name anything.
CREATE TABLE rejected_uploads (
  id             bigserial PRIMARY KEY,
  device_id      uuid NOT NULL REFERENCES devices (id),
  client_scan_id text NOT NULL,
  hall_id        text NOT NULL,
  event_id       uuid,
  seat_id        uuid,
  generation     integer,
  result         text NOT NULL,
  scanned_at     timestamptz,
  credential     text,
  reason_code    text NOT NULL,
  reason         text NOT NULL,
  received_at    timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT rejected_uploads_once UNIQUE (device_id, client_scan_id)
);
CREATE INDEX rejected_uploads_event_idx ON rejected_uploads (event_id) WHERE event_id IS NOT NULL;
ALTER TABLE devices ADD COLUMN rejected_uploads integer NOT NULL DEFAULT 0 CHECK (rejected_uploads >= 0);

-- Down Migration
ALTER TABLE devices DROP COLUMN IF EXISTS rejected_uploads;
DROP TABLE IF EXISTS rejected_uploads;
ALTER TABLE events DROP CONSTRAINT IF EXISTS events_admission_window,
  DROP COLUMN IF EXISTS admission_skew_seconds, DROP COLUMN IF EXISTS admission_closes_at, DROP COLUMN IF EXISTS admission_opens_at;
DROP TRIGGER IF EXISTS seats_generation_history ON seats;
DROP FUNCTION IF EXISTS seats_track_generations();
DROP TABLE IF EXISTS seat_generations;

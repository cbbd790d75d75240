-- Up Migration
-- Live push for the gate sync protocol (docs/sync-protocol.md). Changes are
-- announced with pg_notify from triggers, so they cover every writer (purchase,
-- transfer, online verification, gate uploads) and, because NOTIFY is delivered
-- at commit, subscribers only ever hear committed changes. Every server
-- instance LISTENs on one channel and fans out to its own SSE clients.

-- Seat changes: one message per event per statement (not per row), carrying the
-- highest sequence the statement assigned, so a 100,000-seat insert or a sweep of
-- expired holds costs one notification.
CREATE FUNCTION sync_live_seats() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  r record;
BEGIN
  FOR r IN
    SELECT c.event_id, e.hall_id, max(c.seq) AS seq
      FROM changed_seats c JOIN events e ON e.id = c.event_id
     GROUP BY c.event_id, e.hall_id
  LOOP
    PERFORM pg_notify('tg_live', json_build_object('k', 'seats', 'hall', r.hall_id, 'event_id', r.event_id, 'seq', r.seq)::text);
  END LOOP;
  RETURN NULL;
END $$;
-- PostgreSQL allows transition tables only on single-event triggers: one trigger per operation.
CREATE TRIGGER seats_live_on_insert AFTER INSERT ON seats REFERENCING NEW TABLE AS changed_seats
  FOR EACH STATEMENT EXECUTE FUNCTION sync_live_seats();
CREATE TRIGGER seats_live_on_update AFTER UPDATE ON seats REFERENCING NEW TABLE AS changed_seats
  FOR EACH STATEMENT EXECUTE FUNCTION sync_live_seats();

-- Admissions: whenever a scan becomes the canonical admission of its seat, by
-- insert (online staff verification, first upload) or by promotion (an earlier
-- offline admission uploaded late). The hall and event come from the seat, which
-- is authoritative whatever the scan row says.
CREATE FUNCTION sync_live_admission() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  seat_event uuid;
  seat_hall  text;
BEGIN
  SELECT s.event_id, e.hall_id INTO seat_event, seat_hall FROM seats s JOIN events e ON e.id = s.event_id WHERE s.id = NEW.seat_id;
  PERFORM pg_notify('tg_live', json_build_object(
    'k', 'admission', 'hall', seat_hall, 'event_id', seat_event, 'seat_id', NEW.seat_id,
    'scanned_at', to_char(NEW.scanned_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    'device_id', NEW.device_id, 'device_name', (SELECT name FROM devices WHERE id = NEW.device_id))::text);
  RETURN NULL;
END $$;
CREATE TRIGGER scans_live_on_insert AFTER INSERT ON scans FOR EACH ROW
  WHEN (NEW.result = 'SUCCESS' AND NOT NEW.is_conflict) EXECUTE FUNCTION sync_live_admission();
CREATE TRIGGER scans_live_on_promote AFTER UPDATE OF is_conflict ON scans FOR EACH ROW
  WHEN (NEW.result = 'SUCCESS' AND OLD.is_conflict AND NOT NEW.is_conflict) EXECUTE FUNCTION sync_live_admission();

-- Canonical resolution reads every admission of a seat (canonical and conflicts).
CREATE INDEX scans_seat_admissions_idx ON scans (seat_id, scanned_at) WHERE result = 'SUCCESS';

-- Down Migration
DROP INDEX IF EXISTS scans_seat_admissions_idx;
DROP TRIGGER IF EXISTS scans_live_on_promote ON scans;
DROP TRIGGER IF EXISTS scans_live_on_insert ON scans;
DROP FUNCTION IF EXISTS sync_live_admission();
DROP TRIGGER IF EXISTS seats_live_on_update ON seats;
DROP TRIGGER IF EXISTS seats_live_on_insert ON seats;
DROP FUNCTION IF EXISTS sync_live_seats();

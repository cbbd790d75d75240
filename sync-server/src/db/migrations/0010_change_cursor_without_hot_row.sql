-- Up Migration
-- The change cursor without a hot row.
--
-- Until now every seat change bumped its event's `events.seq` and so held that
-- event row locked until commit: all reserves and payments of one event ran one
-- at a time. Now a seat change is stamped with the POSITION of its transaction,
-- derived from the transaction id (xid8), which PostgreSQL hands out without
-- any lock we could contend on. Positions are not commit-ordered (a transaction
-- with a lower id may commit later), so readers do not use "the highest position
-- I saw" as their cursor but the position just below the oldest transaction
-- still in flight (the snapshot's xmin): every transaction below it has
-- finished, so nothing can still commit at or below the cursor. A change
-- committing after a read therefore always has a position above that read's
-- cursor (docs/sync-protocol.md, "Cursor").
--
-- Positions are offset above every per-event sequence handed out before this
-- migration, so cursors that gates already hold stay below every new change.
DO $$
DECLARE
  base bigint := (SELECT coalesce(max(seq), 0) FROM events);
BEGIN
  EXECUTE format(
    'CREATE FUNCTION change_position(x xid8) RETURNS bigint LANGUAGE sql IMMUTABLE PARALLEL SAFE AS %L',
    format('SELECT %s::bigint + x::text::bigint', base));
END $$;

-- The cursor of the calling statement's snapshot (of the transaction's, under
-- REPEATABLE READ): every seat change at or below it is committed or rolled
-- back and visible to that snapshot. The bound is the oldest transaction still
-- in flight, except those seen running in ANOTHER database of the cluster (they
-- cannot write these seats, and counting them would let one database's long
-- transaction hold back every other's cursor). A transaction that ended between
-- the snapshot and the look at pg_stat_activity is not seen anywhere and so
-- still counts: the bound only ever errs low. Call it from a transaction that
-- has not written (a writer's own id is not in its snapshot).
CREATE FUNCTION change_cursor() RETURNS bigint LANGUAGE sql STABLE AS $f$
  SELECT change_position(coalesce(
    (SELECT min(x) FROM pg_snapshot_xip(pg_current_snapshot()) AS x
      WHERE NOT EXISTS (
        SELECT 1 FROM pg_stat_activity a
         WHERE a.backend_xid IS NOT NULL
           AND a.datid IS DISTINCT FROM (SELECT oid FROM pg_database WHERE datname = current_database())
           AND a.backend_xid::text::bigint = x::text::bigint % 4294967296)),
    pg_snapshot_xmax(pg_current_snapshot()))) - 1
$f$;

-- Every inserted or changed seat carries its transaction's position: no event
-- row is touched, so concurrent purchases of one event never wait for each other.
DROP TRIGGER seats_seq_on_insert ON seats;
DROP TRIGGER seats_seq_on_update ON seats;
DROP FUNCTION seats_bump_event_seq();
CREATE FUNCTION seats_stamp_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.seq := change_position(pg_current_xact_id());
  NEW.updated_at := now();
  RETURN NEW;
END $$;
CREATE TRIGGER seats_change_on_insert BEFORE INSERT ON seats FOR EACH ROW EXECUTE FUNCTION seats_stamp_change();
CREATE TRIGGER seats_change_on_update BEFORE UPDATE ON seats FOR EACH ROW
  WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION seats_stamp_change();
-- A seat's position is not unique and may even go down (a lower-id transaction
-- waiting on the row lock writes after a higher one): readers never rely on
-- either, only on the cursor rule above.

ALTER TABLE events DROP COLUMN seq;

-- Down Migration
ALTER TABLE events ADD COLUMN seq bigint NOT NULL DEFAULT 0;
UPDATE events e SET seq = coalesce((SELECT max(s.seq) FROM seats s WHERE s.event_id = e.id), 0);
DROP TRIGGER IF EXISTS seats_change_on_update ON seats;
DROP TRIGGER IF EXISTS seats_change_on_insert ON seats;
DROP FUNCTION IF EXISTS seats_stamp_change();
CREATE FUNCTION seats_bump_event_seq() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  setting text := 'tg_seq.e' || replace(NEW.event_id::text, '-', '');
  known text;
BEGIN
  IF TG_OP = 'INSERT' AND NEW.seq IS NOT NULL THEN
    RETURN NEW;
  END IF;
  known := current_setting(setting, true);
  IF known IS NULL OR known = '' THEN
    UPDATE events SET seq = seq + 1 WHERE id = NEW.event_id RETURNING seq INTO NEW.seq;
    PERFORM set_config(setting, NEW.seq::text, true);
  ELSE
    NEW.seq := known::bigint;
  END IF;
  NEW.updated_at := now();
  RETURN NEW;
END $$;
CREATE TRIGGER seats_seq_on_insert BEFORE INSERT ON seats FOR EACH ROW EXECUTE FUNCTION seats_bump_event_seq();
CREATE TRIGGER seats_seq_on_update BEFORE UPDATE ON seats FOR EACH ROW
  WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION seats_bump_event_seq();
DROP FUNCTION IF EXISTS change_cursor();
DROP FUNCTION IF EXISTS change_position(xid8);

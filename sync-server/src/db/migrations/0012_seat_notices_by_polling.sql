-- Up Migration
-- Seat changes are no longer announced with NOTIFY from their transactions.
--
-- Why: PostgreSQL keeps its notification queue in commit order by making every
-- committing transaction that issued a NOTIFY take one cluster-wide lock until
-- its commit is flushed. With a NOTIFY per seat change, every reserve and every
-- payment of every event committed one at a time: the same ceiling as the event
-- row lock that migration change_cursor_without_hot_row removed. Each server instance now polls the seat
-- changes below the change cursor instead (src/domain/live/live-bus.ts), which
-- also announces each change only once a delta pull can return it. Admissions
-- and revocations are rare and keep their NOTIFY.
DROP TRIGGER IF EXISTS seats_live_on_update ON seats;
DROP TRIGGER IF EXISTS seats_live_on_insert ON seats;
DROP FUNCTION IF EXISTS sync_live_seats();

-- The poll asks "which events changed between two cursors", across events.
CREATE INDEX seats_seq_idx ON seats (seq);

-- Down Migration
DROP INDEX IF EXISTS seats_seq_idx;
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
CREATE TRIGGER seats_live_on_insert AFTER INSERT ON seats REFERENCING NEW TABLE AS changed_seats
  FOR EACH STATEMENT EXECUTE FUNCTION sync_live_seats();
CREATE TRIGGER seats_live_on_update AFTER UPDATE ON seats REFERENCING NEW TABLE AS changed_seats
  FOR EACH STATEMENT EXECUTE FUNCTION sync_live_seats();

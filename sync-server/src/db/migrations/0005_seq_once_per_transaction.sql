-- Up Migration
-- One sequence number per event per transaction, instead of one per changed seat.
--
-- Why: bumping events.seq for every seat row makes a bulk change (hold sweeper,
-- mass reissue, 60,000-seat update) update the same event row tens of thousands
-- of times inside one transaction; each update adds a row version the next one
-- must skip, so the cost grew quadratically (8,000 seats: 0.8 s; 60,000: ~200 s).
--
-- The cursor guarantee is unchanged: the first seat change of a transaction still
-- bumps and row-locks the event until commit, so every change of the
-- transaction becomes visible together under one seq, and no other transaction can
-- commit a seq in between. The seq given out is remembered in a transaction-local
-- setting (reset at commit/rollback, and with the savepoint that set it).
CREATE OR REPLACE FUNCTION seats_bump_event_seq() RETURNS trigger LANGUAGE plpgsql AS $$
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

-- Down Migration
CREATE OR REPLACE FUNCTION seats_bump_event_seq() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' AND NEW.seq IS NOT NULL THEN
    RETURN NEW;
  END IF;
  UPDATE events SET seq = seq + 1 WHERE id = NEW.event_id RETURNING seq INTO NEW.seq;
  NEW.updated_at := now();
  RETURN NEW;
END $$;

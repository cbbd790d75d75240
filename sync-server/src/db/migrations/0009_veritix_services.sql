-- Up Migration
-- The rest of the Veritix contract (docs/analytics.md): searchable event text,
-- fraud signals and flags, scalper model versions, stored reports and live chat.

-- Search: what an event is and where. The vectors are generated, so every writer
-- (operator catalog, CSV import, seed) keeps them current without code.
ALTER TABLE venues ADD COLUMN city text NOT NULL DEFAULT '';
ALTER TABLE events
  ADD COLUMN description text NOT NULL DEFAULT '',
  ADD COLUMN event_type  text NOT NULL DEFAULT 'other'
    CHECK (event_type IN ('music', 'theatre', 'sport', 'comedy', 'dance', 'family', 'talk', 'other')),
  ADD COLUMN city        text NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector('english', name), 'A') ||
  setweight(to_tsvector('english', event_type), 'B') ||
  setweight(to_tsvector('english', city), 'B') ||
  setweight(to_tsvector('english', description), 'C')) STORED;
CREATE INDEX events_search_idx ON events USING gin (search_vector);
ALTER TABLE venues ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
  to_tsvector('english', name || ' ' || city || ' ' || address)) STORED;
CREATE INDEX venues_search_idx ON venues USING gin (search_vector);

-- Recommendations and scalper features read confirmed purchases by event.
CREATE INDEX orders_event_confirmed_idx ON orders (event_id, user_id) WHERE status = 'CONFIRMED';

-- Fraud signal: where a purchase came from, as a keyed hash of the client
-- address (never the address itself), kept for a retention period only.
CREATE TABLE purchase_origins (
  order_id     uuid PRIMARY KEY REFERENCES orders (id) ON DELETE CASCADE,
  user_id      uuid NOT NULL REFERENCES users (id),
  address_hash text NOT NULL,
  recorded_at  timestamptz NOT NULL
);
CREATE INDEX purchase_origins_address_idx ON purchase_origins (address_hash, recorded_at);
CREATE INDEX purchase_origins_recorded_idx ON purchase_origins (recorded_at);

-- A rule hit, decided by an operator. (rule, subject) is unique: however many
-- server instances run the rules, a hit is recorded once.
CREATE TABLE fraud_flags (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  rule        text NOT NULL,
  subject     text NOT NULL,
  user_id     uuid REFERENCES users (id),
  details     jsonb NOT NULL DEFAULT '{}',
  status      text NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'CONFIRMED', 'DISMISSED')),
  detected_at timestamptz NOT NULL,
  decided_by  uuid REFERENCES users (id),
  decided_at  timestamptz,
  UNIQUE (rule, subject),
  CONSTRAINT fraud_flags_decided CHECK ((status = 'OPEN') = (decided_at IS NULL))
);
CREATE INDEX fraud_flags_status_idx ON fraud_flags (status, detected_at DESC);
CREATE INDEX fraud_flags_user_idx ON fraud_flags (user_id);

-- Scalper model versions with their held-out evaluation: every instance serves the latest.
CREATE TABLE scalper_models (
  version    serial PRIMARY KEY,
  model      jsonb NOT NULL,
  evaluation jsonb NOT NULL,
  trained_at timestamptz NOT NULL
);

-- Generated reports, fetched by id from any instance.
CREATE TABLE stored_reports (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  report_date date NOT NULL,
  format      text NOT NULL CHECK (format IN ('csv', 'json')),
  content     text NOT NULL,
  created_at  timestamptz NOT NULL
);

-- Live chat: every committed message and escalation is announced to every
-- instance (ids only: NOTIFY payloads are small, listeners read the row).
CREATE FUNCTION chat_live_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('tg_chat', json_build_object('k', TG_ARGV[0], 'id', NEW.id, 'conversation_id', NEW.conversation_id)::text);
  RETURN NULL;
END $$;
CREATE TRIGGER chat_messages_live AFTER INSERT ON chat_messages FOR EACH ROW EXECUTE FUNCTION chat_live_notify('message');
CREATE TRIGGER chat_escalations_live AFTER INSERT ON chat_escalations FOR EACH ROW EXECUTE FUNCTION chat_live_notify('escalation');

-- Down Migration
DROP TRIGGER IF EXISTS chat_escalations_live ON chat_escalations;
DROP TRIGGER IF EXISTS chat_messages_live ON chat_messages;
DROP FUNCTION IF EXISTS chat_live_notify();
DROP TABLE IF EXISTS stored_reports, scalper_models, fraud_flags, purchase_origins;
DROP INDEX IF EXISTS orders_event_confirmed_idx;
DROP INDEX IF EXISTS venues_search_idx;
DROP INDEX IF EXISTS events_search_idx;
ALTER TABLE venues DROP COLUMN IF EXISTS search_vector, DROP COLUMN IF EXISTS city;
ALTER TABLE events DROP COLUMN IF EXISTS search_vector, DROP COLUMN IF EXISTS city,
  DROP COLUMN IF EXISTS event_type, DROP COLUMN IF EXISTS description;

-- Up Migration
-- The server's data model. The database forbids invalid states wherever it
-- can: money as integer cents that cannot go negative, seat states with the
-- fields each state requires, one pending order / transfer per seat, and one
-- canonical admission per seat.

CREATE EXTENSION IF NOT EXISTS pgcrypto;

CREATE TABLE users (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email         text NOT NULL,
  phone         text NOT NULL,
  display_name  text NOT NULL,
  password_hash text NOT NULL,
  role          text NOT NULL DEFAULT 'fan' CHECK (role IN ('fan', 'staff', 'operator', 'admin')),
  is_flagged    boolean NOT NULL DEFAULT false,
  -- Credits in cents. `frozen_cents` is the part locked by disputes: spendable = balance - frozen.
  balance_cents bigint NOT NULL DEFAULT 0 CHECK (balance_cents >= 0),
  frozen_cents  bigint NOT NULL DEFAULT 0 CHECK (frozen_cents >= 0),
  created_at    timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT users_frozen_within_balance CHECK (frozen_cents <= balance_cents)
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

-- Every credit movement. The sum of a user's rows equals their balance.
CREATE TABLE credit_ledger (
  id             bigserial PRIMARY KEY,
  user_id        uuid NOT NULL REFERENCES users (id),
  amount_cents   bigint NOT NULL CHECK (amount_cents <> 0),
  balance_after  bigint NOT NULL CHECK (balance_after >= 0),
  kind           text NOT NULL CHECK (kind IN ('OPENING', 'TOPUP', 'PURCHASE', 'TRANSFER_IN', 'TRANSFER_OUT',
                                                'REVERSAL_IN', 'REVERSAL_OUT', 'ADJUSTMENT')),
  reference_type text,
  reference_id   text,
  created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX credit_ledger_user_idx ON credit_ledger (user_id, id);

CREATE TABLE venues (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name       text NOT NULL,
  address    text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Halls are named by a short public code (HALL-A): it is printed on tickets and inside the QR.
CREATE TABLE halls (
  id         text PRIMARY KEY CHECK (id ~ '^[A-Z0-9-]{1,8}$'),
  venue_id   uuid NOT NULL REFERENCES venues (id),
  name       text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE events (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  venue_id   uuid NOT NULL REFERENCES venues (id),
  hall_id    text NOT NULL REFERENCES halls (id),
  name       text NOT NULL,
  event_date timestamptz NOT NULL,
  -- Per-event change sequence: bumped (by trigger) with every seat change in the
  -- same transaction, so gates can pull deltas by cursor without missing a commit.
  seq        bigint NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX events_date_idx ON events (event_date);
CREATE INDEX events_hall_idx ON events (hall_id);

CREATE TABLE event_categories (
  event_id    uuid NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  category    text NOT NULL CHECK (category ~ '^[A-Z0-9_-]{1,16}$'),
  price_cents bigint NOT NULL CHECK (price_cents >= 0),
  PRIMARY KEY (event_id, category)
);

CREATE TABLE seats (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  event_id       uuid NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  row_label      text NOT NULL CHECK (length(row_label) BETWEEN 1 AND 8),
  seat_number    integer NOT NULL CHECK (seat_number > 0),
  category       text NOT NULL,
  status         text NOT NULL DEFAULT 'AVAILABLE' CHECK (status IN ('AVAILABLE', 'HELD', 'SOLD', 'CHECKED_IN')),
  held_by        uuid REFERENCES users (id),
  held_until     timestamptz,
  owner_user_id  uuid REFERENCES users (id),
  -- Bumped on every transfer or reissue: older QR codes of the seat stop verifying.
  generation     integer NOT NULL DEFAULT 1 CHECK (generation > 0),
  checked_in_at  timestamptz,
  seq            bigint,
  updated_at     timestamptz NOT NULL DEFAULT now(),
  UNIQUE (event_id, row_label, seat_number),
  FOREIGN KEY (event_id, category) REFERENCES event_categories (event_id, category),
  CONSTRAINT seats_state_fields CHECK (
    (status = 'AVAILABLE'  AND held_by IS NULL AND held_until IS NULL AND owner_user_id IS NULL AND checked_in_at IS NULL) OR
    (status = 'HELD'       AND held_by IS NOT NULL AND held_until IS NOT NULL AND owner_user_id IS NULL AND checked_in_at IS NULL) OR
    (status = 'SOLD'       AND held_by IS NULL AND held_until IS NULL AND owner_user_id IS NOT NULL AND checked_in_at IS NULL) OR
    (status = 'CHECKED_IN' AND held_by IS NULL AND held_until IS NULL AND owner_user_id IS NOT NULL AND checked_in_at IS NOT NULL)
  )
);
CREATE INDEX seats_event_seq_idx ON seats (event_id, seq);
CREATE INDEX seats_owner_idx ON seats (owner_user_id) WHERE owner_user_id IS NOT NULL;
CREATE INDEX seats_hold_expiry_idx ON seats (held_until) WHERE status = 'HELD';

-- Assigns the event's next sequence number to every inserted or changed seat.
-- Bulk inserts may pre-assign `seq` (one bump for the whole batch).
CREATE FUNCTION seats_bump_event_seq() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' AND NEW.seq IS NOT NULL THEN
    RETURN NEW;
  END IF;
  UPDATE events SET seq = seq + 1 WHERE id = NEW.event_id RETURNING seq INTO NEW.seq;
  NEW.updated_at := now();
  RETURN NEW;
END $$;
CREATE TRIGGER seats_seq_on_insert BEFORE INSERT ON seats FOR EACH ROW EXECUTE FUNCTION seats_bump_event_seq();
CREATE TRIGGER seats_seq_on_update BEFORE UPDATE ON seats FOR EACH ROW
  WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION seats_bump_event_seq();

CREATE TABLE orders (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id         uuid NOT NULL REFERENCES users (id),
  seat_id         uuid NOT NULL REFERENCES seats (id),
  event_id        uuid NOT NULL REFERENCES events (id),
  amount_cents    bigint NOT NULL CHECK (amount_cents >= 0),
  status          text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'CONFIRMED', 'EXPIRED', 'CANCELLED', 'FAILED')),
  held_until      timestamptz NOT NULL,
  otp_verified_at timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  confirmed_at    timestamptz,
  updated_at      timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT orders_confirmed_at CHECK ((status = 'CONFIRMED') = (confirmed_at IS NOT NULL))
);
CREATE UNIQUE INDEX orders_one_pending_per_seat ON orders (seat_id) WHERE status = 'PENDING';
CREATE INDEX orders_user_idx ON orders (user_id, created_at DESC);

CREATE TABLE transfers (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seat_id             uuid NOT NULL REFERENCES seats (id),
  seller_id           uuid NOT NULL REFERENCES users (id),
  buyer_id            uuid NOT NULL REFERENCES users (id),
  initiated_by        uuid NOT NULL REFERENCES users (id),
  amount_cents        bigint NOT NULL CHECK (amount_cents >= 0),
  status              text NOT NULL DEFAULT 'PENDING_OTP'
                        CHECK (status IN ('PENDING_OTP', 'COMPLETED', 'FAILED', 'CANCELLED', 'DISPUTED', 'REVERSED')),
  seller_verified_at  timestamptz,
  buyer_verified_at   timestamptz,
  expires_at          timestamptz NOT NULL,
  completed_at        timestamptz,
  dispute_reason      text,
  disputed_by         uuid REFERENCES users (id),
  disputed_at         timestamptz,
  resolved_by         uuid REFERENCES users (id),
  resolved_at         timestamptz,
  resolution          text CHECK (resolution IN ('REVERSED', 'UPHELD')),
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT transfers_not_self CHECK (seller_id <> buyer_id),
  CONSTRAINT transfers_initiator_is_party CHECK (initiated_by IN (seller_id, buyer_id))
);
CREATE UNIQUE INDEX transfers_one_pending_per_seat ON transfers (seat_id) WHERE status = 'PENDING_OTP';
CREATE INDEX transfers_seller_idx ON transfers (seller_id, created_at DESC);
CREATE INDEX transfers_buyer_idx ON transfers (buyer_id, created_at DESC);
CREATE INDEX transfers_expiry_idx ON transfers (expires_at) WHERE status = 'PENDING_OTP';

-- One-time codes, stored only as HMACs.
CREATE TABLE otp_challenges (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id       uuid NOT NULL REFERENCES users (id),
  context       text NOT NULL CHECK (context IN ('purchase', 'transfer')),
  reference_id  uuid NOT NULL,
  code_hash     text NOT NULL,
  attempts      integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  max_attempts  integer NOT NULL DEFAULT 3,
  status        text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'VERIFIED', 'FAILED', 'SUPERSEDED')),
  expires_at    timestamptz NOT NULL,
  verified_at   timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX otp_one_pending ON otp_challenges (user_id, context, reference_id) WHERE status = 'PENDING';
CREATE INDEX otp_user_created_idx ON otp_challenges (user_id, created_at DESC);

-- Development SMS provider: what would have been sent.
CREATE TABLE sms_outbox (
  id         bigserial PRIMARY KEY,
  user_id    uuid REFERENCES users (id),
  phone      text NOT NULL,
  body       text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Auth: refresh tokens are rotated (each one usable once) and every logged-out
-- token id is blocklisted until it would have expired anyway.
CREATE TABLE refresh_tokens (
  jti         uuid PRIMARY KEY,
  user_id     uuid NOT NULL REFERENCES users (id),
  family_id   uuid NOT NULL,
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz,
  revoked_at  timestamptz,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);
CREATE TABLE token_blocklist (
  jti        uuid PRIMARY KEY,
  expires_at timestamptz NOT NULL
);
CREATE INDEX token_blocklist_expiry_idx ON token_blocklist (expires_at);

-- Stripe: top-ups by PaymentIntent, processed webhook events by id. Both unique, so
-- replayed and concurrent deliveries credit once.
CREATE TABLE topups (
  payment_intent_id text PRIMARY KEY,
  user_id           uuid NOT NULL REFERENCES users (id),
  amount_cents      bigint NOT NULL CHECK (amount_cents > 0),
  currency          text NOT NULL,
  status            text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'SUCCEEDED')),
  created_at        timestamptz NOT NULL DEFAULT now(),
  credited_at       timestamptz
);
CREATE TABLE stripe_events (
  event_id     text PRIMARY KEY,
  type         text NOT NULL,
  received_at  timestamptz NOT NULL DEFAULT now()
);

-- Signing keys. Private material is wrapped with MASTER_KEY (from the environment).
CREATE TABLE issuing_keys (
  kid          text PRIMARY KEY CHECK (kid ~ '^[0-9a-f]{8}$'),
  public_key   text NOT NULL,
  private_wrapped text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  retired_at   timestamptz
);
CREATE TABLE gate_keys (
  kid          text PRIMARY KEY CHECK (kid ~ '^[0-9a-f]{8}$'),
  event_id     uuid NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  key_wrapped  text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  retired_at   timestamptz
);
CREATE INDEX gate_keys_event_idx ON gate_keys (event_id);

-- Gate devices and their one-time enrolment codes.
CREATE TABLE enrolment_codes (
  code_hash   text PRIMARY KEY,
  hall_id     text NOT NULL REFERENCES halls (id),
  created_by  uuid NOT NULL REFERENCES users (id),
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz,
  device_id   uuid,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE devices (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  hall_id         text NOT NULL REFERENCES halls (id),
  name            text NOT NULL,
  token_hash      text NOT NULL UNIQUE,
  box_public_key  text NOT NULL,
  status          text NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'REVOKED')),
  enrolled_at     timestamptz NOT NULL DEFAULT now(),
  revoked_at      timestamptz,
  last_seen_at    timestamptz,
  last_backlog    integer,
  clock_offset_ms integer,
  app_version     text,
  CONSTRAINT devices_revoked_at CHECK ((status = 'REVOKED') = (revoked_at IS NOT NULL))
);
CREATE INDEX devices_hall_idx ON devices (hall_id);

-- The entry log: every scan, pass or fail, online (staff) or from a gate.
CREATE TABLE scans (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  client_scan_id  text,
  device_id       uuid REFERENCES devices (id),
  staff_user_id   uuid REFERENCES users (id),
  hall_id         text,
  event_id        uuid REFERENCES events (id),
  seat_id         uuid REFERENCES seats (id),
  generation      integer,
  result          text NOT NULL CHECK (result IN ('SUCCESS', 'DUPLICATE', 'UNPAID', 'NOT_FOUND', 'WRONG_HALL', 'EXPIRED', 'QR_INVALID')),
  reason          text,
  scanned_at      timestamptz NOT NULL,
  received_at     timestamptz NOT NULL DEFAULT now(),
  -- A SUCCESS that lost to an earlier admission of the same seat (two gates offline).
  is_conflict     boolean NOT NULL DEFAULT false,
  CONSTRAINT scans_has_actor CHECK (device_id IS NOT NULL OR staff_user_id IS NOT NULL),
  CONSTRAINT scans_conflicts_are_admissions CHECK (NOT is_conflict OR result = 'SUCCESS'),
  CONSTRAINT scans_admission_has_seat CHECK (result <> 'SUCCESS' OR seat_id IS NOT NULL)
);
CREATE UNIQUE INDEX scans_client_id_key ON scans (device_id, client_scan_id) WHERE device_id IS NOT NULL;
-- One canonical admission per seat.
CREATE UNIQUE INDEX scans_one_admission_per_seat ON scans (seat_id) WHERE result = 'SUCCESS' AND NOT is_conflict;
CREATE INDEX scans_event_idx ON scans (event_id, scanned_at DESC);
CREATE INDEX scans_conflicts_idx ON scans (event_id) WHERE is_conflict;

-- Veritix chat (HTTP and WebSocket).
CREATE TABLE chat_messages (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  conversation_id text NOT NULL,
  sender_id       text NOT NULL,
  sender_type     text NOT NULL CHECK (sender_type IN ('user', 'agent')),
  content         text NOT NULL,
  metadata        jsonb NOT NULL DEFAULT '{}',
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX chat_messages_conv_idx ON chat_messages (conversation_id, created_at);
CREATE TABLE chat_escalations (
  id              text PRIMARY KEY,
  conversation_id text NOT NULL,
  reason          text NOT NULL,
  metadata        jsonb NOT NULL DEFAULT '{}',
  created_at      timestamptz NOT NULL DEFAULT now()
);

-- Down Migration
DROP TABLE IF EXISTS chat_escalations, chat_messages, scans, devices, enrolment_codes, gate_keys, issuing_keys,
  stripe_events, topups, token_blocklist, refresh_tokens, sms_outbox, otp_challenges, transfers, orders, seats,
  event_categories, events, halls, venues, credit_ledger, users CASCADE;
DROP FUNCTION IF EXISTS seats_bump_event_seq();

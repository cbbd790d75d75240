-- Up Migration
-- Signed sync (docs/sync-protocol.md): the key that signs what gates trust, the
-- enrolment code's reply binding key, and what each gate reports about integrity.

-- Signing keys by purpose ('sync' only for now). The private half is wrapped with
-- the master key like every other key; one active key per purpose; a key made by
-- rotation carries the signature of the key it replaced (the chain gates follow).
CREATE TABLE signing_keys (
  kid             text PRIMARY KEY CHECK (kid ~ '^[0-9a-f]{8}$'),
  purpose         text NOT NULL CHECK (purpose IN ('sync')),
  public_key      text NOT NULL,
  private_wrapped text NOT NULL,
  endorsed_by     text REFERENCES signing_keys (kid),
  endorsement     text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  retired_at      timestamptz,
  CHECK ((endorsed_by IS NULL) = (endorsement IS NULL))
);
CREATE UNIQUE INDEX signing_keys_one_active ON signing_keys (purpose) WHERE retired_at IS NULL;

-- The HMAC key derived from the code (wrapped): the code itself is never sent by the gate.
-- Codes created before this migration have none and cannot be used.
ALTER TABLE enrolment_codes ADD COLUMN binding_key_wrapped text;

ALTER TABLE devices
  ADD COLUMN sync_integrity text CHECK (sync_integrity IN ('ok', 'refused')),
  ADD COLUMN sync_integrity_message text,
  ADD COLUMN sync_integrity_at timestamptz;

-- Down Migration
ALTER TABLE devices DROP COLUMN IF EXISTS sync_integrity_at, DROP COLUMN IF EXISTS sync_integrity_message, DROP COLUMN IF EXISTS sync_integrity;
ALTER TABLE enrolment_codes DROP COLUMN IF EXISTS binding_key_wrapped;
DROP TABLE IF EXISTS signing_keys;

-- Up Migration
-- Device-bound passes (docs/qr-format.md, "Device-bound code"): which phone key
-- a ticket is bound to. One binding per seat is live at a time; binding another
-- phone ends the live one and bumps the seat's generation, so the old phone's
-- pass (which names the old generation) is refused as a revoked generation at
-- the server at once and at gates after their next sync, exactly like a transfer.
-- A binding also stops counting when its generation or owner is no longer the
-- seat's (a transfer, a reissue): the next owner binds afresh.
CREATE TABLE device_bindings (
  id           bigserial PRIMARY KEY,
  seat_id      uuid NOT NULL REFERENCES seats (id),
  user_id      uuid NOT NULL REFERENCES users (id),
  algorithm    text NOT NULL CHECK (algorithm IN ('Ed25519', 'P-256')),
  -- The 33-byte key field the pass carries, base64url.
  public_key   text NOT NULL,
  generation   integer NOT NULL CHECK (generation > 0),
  created_at   timestamptz NOT NULL DEFAULT now(),
  ended_at     timestamptz,
  ended_reason text CHECK (ended_reason IN ('rebound', 'superseded')),
  CHECK ((ended_at IS NULL) = (ended_reason IS NULL))
);
CREATE UNIQUE INDEX device_bindings_one_live ON device_bindings (seat_id) WHERE ended_at IS NULL;
CREATE INDEX device_bindings_user_idx ON device_bindings (user_id, created_at DESC);

-- Down Migration
DROP TABLE IF EXISTS device_bindings;

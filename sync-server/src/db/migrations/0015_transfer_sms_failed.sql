-- Up Migration
-- A transfer whose codes could not be texted is cancelled at once (closed_reason
-- SMS_FAILED): codes are sent after the transfer commits, so the provider's
-- network call never holds the seat's lock, and a failed send must not leave a
-- pending transfer blocking the seat until it expires.
ALTER TABLE transfers DROP CONSTRAINT transfers_closed_reason_check;
ALTER TABLE transfers ADD CONSTRAINT transfers_closed_reason_check
  CHECK (closed_reason IN ('OTP_MAX_RETRIES', 'OTP_EXPIRED', 'EXPIRED', 'SEAT_CHANGED', 'SELLER_CANCELLED', 'TOO_MANY_ATTEMPTS', 'SMS_FAILED'));

-- Access tokens are checked against their session (sessions.ended_at) on every
-- request, so the jti blocklist of the first schema has had no reader; drop it.
DROP TABLE token_blocklist;

-- Down Migration
CREATE TABLE token_blocklist (
  jti        uuid PRIMARY KEY,
  expires_at timestamptz NOT NULL
);
CREATE INDEX token_blocklist_expiry_idx ON token_blocklist (expires_at);
UPDATE transfers SET closed_reason = 'EXPIRED' WHERE closed_reason = 'SMS_FAILED';
ALTER TABLE transfers DROP CONSTRAINT transfers_closed_reason_check;
ALTER TABLE transfers ADD CONSTRAINT transfers_closed_reason_check
  CHECK (closed_reason IN ('OTP_MAX_RETRIES', 'OTP_EXPIRED', 'EXPIRED', 'SEAT_CHANGED', 'SELLER_CANCELLED', 'TOO_MANY_ATTEMPTS'));

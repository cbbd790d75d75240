-- Up Migration
-- Transfers (issue 5). A dispute freezes what it can of the credits the seller
-- received (docs/transfers.md): the amount actually frozen is recorded so the
-- resolution releases exactly that. A reversal may recover less than the price
-- when the seller has spent the credits; what it returned is recorded for audit.
-- Transfers that end without completing say why (OTP retries, expiry, reversal).

ALTER TABLE transfers
  ADD COLUMN frozen_cents   bigint NOT NULL DEFAULT 0 CHECK (frozen_cents >= 0),
  ADD COLUMN returned_cents bigint CHECK (returned_cents >= 0),
  ADD COLUMN closed_reason  text CHECK (closed_reason IN ('OTP_MAX_RETRIES', 'OTP_EXPIRED', 'EXPIRED', 'SEAT_CHANGED')),
  ADD CONSTRAINT transfers_frozen_within_amount CHECK (frozen_cents <= amount_cents),
  ADD CONSTRAINT transfers_returned_within_amount CHECK (returned_cents <= amount_cents);

-- The admin listing filters by status, newest first.
CREATE INDEX transfers_status_created_idx ON transfers (status, created_at DESC);

-- Down Migration
DROP INDEX IF EXISTS transfers_status_created_idx;
ALTER TABLE transfers
  DROP CONSTRAINT IF EXISTS transfers_returned_within_amount,
  DROP CONSTRAINT IF EXISTS transfers_frozen_within_amount,
  DROP COLUMN IF EXISTS closed_reason,
  DROP COLUMN IF EXISTS returned_cents,
  DROP COLUMN IF EXISTS frozen_cents;

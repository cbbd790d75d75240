-- Up Migration
-- Sessions that end (docs/security.md): a session is a login's rotation family
-- of refresh tokens, and every access token names it (claim `sid`). Each
-- request checks its session; ending one (logout, refresh-token reuse) or
-- changing a user's role or disabling the account NOTIFYs every instance, which
-- drops its cached copy, so the old access tokens stop working everywhere.
ALTER TABLE users ADD COLUMN disabled_at timestamptz;

CREATE TABLE sessions (
  id          uuid PRIMARY KEY,
  user_id     uuid NOT NULL REFERENCES users (id),
  created_at  timestamptz NOT NULL DEFAULT now(),
  ended_at    timestamptz,
  end_reason  text CHECK (end_reason IN ('LOGOUT', 'REFRESH_REUSE', 'ROLE_CHANGED', 'DISABLED')),
  CHECK ((ended_at IS NULL) = (end_reason IS NULL))
);
CREATE INDEX sessions_user_open_idx ON sessions (user_id) WHERE ended_at IS NULL;

-- Refresh families issued before sessions existed become sessions (ended when every token was revoked).
INSERT INTO sessions (id, user_id, created_at, ended_at, end_reason)
SELECT family_id, min(user_id::text)::uuid, min(created_at),
       CASE WHEN bool_and(revoked_at IS NOT NULL) THEN max(revoked_at) END,
       CASE WHEN bool_and(revoked_at IS NOT NULL) THEN 'LOGOUT' END
  FROM refresh_tokens GROUP BY family_id;
ALTER TABLE refresh_tokens ADD CONSTRAINT refresh_tokens_session_fk FOREIGN KEY (family_id) REFERENCES sessions (id);

CREATE FUNCTION sessions_notify_ended() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('tg_live', json_build_object('k', 'session', 'session_id', NEW.id)::text);
  RETURN NULL;
END $$;
CREATE TRIGGER sessions_ended AFTER UPDATE OF ended_at ON sessions
  FOR EACH ROW WHEN (OLD.ended_at IS NULL AND NEW.ended_at IS NOT NULL) EXECUTE FUNCTION sessions_notify_ended();

-- Whoever changes a role or disables an account (admin endpoint, SQL console), the user's sessions end with it.
CREATE FUNCTION users_end_sessions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE sessions SET ended_at = now(),
         end_reason = CASE WHEN NEW.disabled_at IS NOT NULL AND OLD.disabled_at IS NULL THEN 'DISABLED' ELSE 'ROLE_CHANGED' END
   WHERE user_id = NEW.id AND ended_at IS NULL;
  RETURN NULL;
END $$;
CREATE TRIGGER users_role_or_disabled AFTER UPDATE OF role, disabled_at ON users
  FOR EACH ROW WHEN (OLD.role IS DISTINCT FROM NEW.role OR (OLD.disabled_at IS NULL AND NEW.disabled_at IS NOT NULL))
  EXECUTE FUNCTION users_end_sessions();

-- Shared rate-limit counters (RATE_LIMIT_STORE=postgres): one fixed window per key, advanced by an atomic upsert.
CREATE TABLE rate_limits (
  key          text PRIMARY KEY,
  window_start timestamptz NOT NULL,
  hits         integer NOT NULL CHECK (hits >= 0),
  expires_at   timestamptz NOT NULL
);
CREATE INDEX rate_limits_expiry_idx ON rate_limits (expires_at);

-- Transfers: the seller may cancel a pending one; wrong confirmations are counted per transfer.
ALTER TABLE transfers DROP CONSTRAINT transfers_closed_reason_check;
ALTER TABLE transfers ADD CONSTRAINT transfers_closed_reason_check
  CHECK (closed_reason IN ('OTP_MAX_RETRIES', 'OTP_EXPIRED', 'EXPIRED', 'SEAT_CHANGED', 'SELLER_CANCELLED', 'TOO_MANY_ATTEMPTS'));
ALTER TABLE transfers ADD COLUMN confirm_failures integer NOT NULL DEFAULT 0 CHECK (confirm_failures >= 0);

-- Down Migration
ALTER TABLE transfers DROP COLUMN IF EXISTS confirm_failures;
UPDATE transfers SET closed_reason = 'EXPIRED' WHERE closed_reason IN ('SELLER_CANCELLED', 'TOO_MANY_ATTEMPTS');
ALTER TABLE transfers DROP CONSTRAINT transfers_closed_reason_check;
ALTER TABLE transfers ADD CONSTRAINT transfers_closed_reason_check
  CHECK (closed_reason IN ('OTP_MAX_RETRIES', 'OTP_EXPIRED', 'EXPIRED', 'SEAT_CHANGED'));
DROP TABLE IF EXISTS rate_limits;
DROP TRIGGER IF EXISTS users_role_or_disabled ON users;
DROP FUNCTION IF EXISTS users_end_sessions();
DROP TRIGGER IF EXISTS sessions_ended ON sessions;
DROP FUNCTION IF EXISTS sessions_notify_ended();
ALTER TABLE refresh_tokens DROP CONSTRAINT IF EXISTS refresh_tokens_session_fk;
DROP TABLE IF EXISTS sessions;
ALTER TABLE users DROP COLUMN IF EXISTS disabled_at;

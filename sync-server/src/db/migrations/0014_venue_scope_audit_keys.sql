-- Up Migration
-- Venue scoping of staff and operators, the append-only audit log, and key
-- rotation (docs/security.md).

-- Which venues a staff member or operator works for. Admins need no rows: they see everything.
CREATE TABLE venue_assignments (
  user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  venue_id   uuid NOT NULL REFERENCES venues (id) ON DELETE CASCADE,
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, venue_id)
);
CREATE INDEX venue_assignments_venue_idx ON venue_assignments (venue_id);

-- Every privileged action, written in the transaction of the action itself.
-- Rows are never changed or removed: the triggers below refuse it for every
-- role that owns no superuser bypass, the application's included.
CREATE TABLE audit_log (
  id          bigserial PRIMARY KEY,
  at          timestamptz NOT NULL DEFAULT now(),
  -- NULL for the server itself (scheduled key rotation).
  actor_id    uuid REFERENCES users (id),
  actor_role  text,
  action      text NOT NULL CHECK (action ~ '^[a-z_]+(\.[a-z_]+)+$'),
  target_type text NOT NULL,
  target_id   text,
  details     jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_at_idx ON audit_log (at DESC, id DESC);
CREATE INDEX audit_log_action_idx ON audit_log (action, at DESC);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, at DESC) WHERE actor_id IS NOT NULL;
CREATE INDEX audit_log_target_idx ON audit_log (target_type, target_id);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- Key rotation: the active key of a kind is the one not retired; a retired key
-- still verifies until retired_at + the configured overlap. At most one active
-- key per kind (per event for gate keys), so racing rotations cannot leave two.
CREATE UNIQUE INDEX issuing_keys_one_active ON issuing_keys ((true)) WHERE retired_at IS NULL;
CREATE UNIQUE INDEX gate_keys_one_active ON gate_keys (event_id) WHERE retired_at IS NULL;

-- Wrapped keys now bind their id and purpose (format v2). No deployment holds
-- v1 keys; any that a development database holds are dropped and recreated on first use.
DELETE FROM gate_keys WHERE key_wrapped LIKE 'v1.%';
DELETE FROM issuing_keys WHERE private_wrapped LIKE 'v1.%';

-- Down Migration
DROP INDEX IF EXISTS gate_keys_one_active;
DROP INDEX IF EXISTS issuing_keys_one_active;
DROP TABLE IF EXISTS audit_log;
DROP FUNCTION IF EXISTS audit_log_append_only();
DROP TABLE IF EXISTS venue_assignments;

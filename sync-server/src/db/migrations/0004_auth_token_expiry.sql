-- Up Migration
-- The pruning job (domain/auth/prune-tokens.ts) deletes refresh tokens past their
-- expiry every few minutes; every refresh adds a row, so find them by index.
CREATE INDEX refresh_tokens_expiry_idx ON refresh_tokens (expires_at);

-- Down Migration
DROP INDEX IF EXISTS refresh_tokens_expiry_idx;

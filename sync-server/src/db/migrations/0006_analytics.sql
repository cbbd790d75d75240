-- Up Migration
-- Analytics and chat (docs/analytics.md) read these by columns nothing indexed yet.
-- Partial indexes where only a small part of a table is ever asked for, so the
-- scan upload path (every gate scan) pays for one small index only.

-- Chat: a user's conversations, and "has this user written here" for access checks.
CREATE INDEX chat_messages_sender_idx ON chat_messages (sender_id, conversation_id);
CREATE INDEX chat_escalations_conv_idx ON chat_escalations (conversation_id, created_at);

-- Daily report: one UTC day of sales, transfers and rejected scans.
CREATE INDEX orders_confirmed_at_idx ON orders (confirmed_at) WHERE status = 'CONFIRMED';
CREATE INDEX transfers_completed_at_idx ON transfers (completed_at) WHERE completed_at IS NOT NULL;
CREATE INDEX scans_invalid_at_idx ON scans (scanned_at)
  WHERE result IN ('QR_INVALID', 'NOT_FOUND', 'EXPIRED', 'WRONG_HALL', 'UNPAID');

-- Down Migration
DROP INDEX IF EXISTS scans_invalid_at_idx;
DROP INDEX IF EXISTS transfers_completed_at_idx;
DROP INDEX IF EXISTS orders_confirmed_at_idx;
DROP INDEX IF EXISTS chat_escalations_conv_idx;
DROP INDEX IF EXISTS chat_messages_sender_idx;

import { withTransaction, type Pool } from '../../db/pool.js';
import type { Actor } from '../../policy/access.js';
import { recordAudit } from '../audit/audit-log.js';

export interface OutboxMessage {
  id: number;
  userId: string | null;
  phone: string;
  text: string;
  createdAt: Date;
}

/**
 * What the development SMS provider "sent", newest first. Codes are readable
 * here, so every read is audited (same transaction) with the ids it returned.
 */
export async function listSmsOutbox(
  pool: Pool,
  reader: Actor,
  page: { page: number; perPage: number },
): Promise<{ items: OutboxMessage[]; total: number }> {
  return withTransaction(pool, async (db) => {
    const [{ rows }, count] = await Promise.all([
      db.query<{ id: number; user_id: string | null; phone: string; body: string; created_at: Date }>(
        'SELECT id, user_id, phone, body, created_at FROM sms_outbox ORDER BY id DESC LIMIT $1 OFFSET $2',
        [page.perPage, (page.page - 1) * page.perPage],
      ),
      db.query<{ n: number }>('SELECT count(*)::int AS n FROM sms_outbox'),
    ]);
    await recordAudit(db, {
      actor: reader,
      action: 'outbox.read',
      targetType: 'sms_outbox',
      details: { page: page.page, per_page: page.perPage, message_ids: rows.map((r) => Number(r.id)) },
    });
    return {
      items: rows.map((r) => ({ id: r.id, userId: r.user_id, phone: r.phone, text: r.body, createdAt: r.created_at })),
      total: count.rows[0]?.n ?? 0,
    };
  });
}

import type { Queryable } from '../../db/pool.js';

export interface OutboxMessage {
  id: number;
  userId: string | null;
  phone: string;
  text: string;
  createdAt: Date;
}

/** What the development SMS provider "sent", newest first (operators read codes here). */
export async function listSmsOutbox(
  db: Queryable,
  page: { page: number; perPage: number },
): Promise<{ items: OutboxMessage[]; total: number }> {
  const [{ rows }, count] = await Promise.all([
    db.query<{ id: number; user_id: string | null; phone: string; body: string; created_at: Date }>(
      'SELECT id, user_id, phone, body, created_at FROM sms_outbox ORDER BY id DESC LIMIT $1 OFFSET $2',
      [page.perPage, (page.page - 1) * page.perPage],
    ),
    db.query<{ n: number }>('SELECT count(*)::int AS n FROM sms_outbox'),
  ]);
  return {
    items: rows.map((r) => ({ id: r.id, userId: r.user_id, phone: r.phone, text: r.body, createdAt: r.created_at })),
    total: count.rows[0]?.n ?? 0,
  };
}

import { randomBytes } from 'node:crypto';
import type { Queryable } from '../../db/pool.js';

export interface Escalation {
  id: string;
  reason: string;
  metadata: Record<string, unknown>;
  createdAt: Date;
}

/** Hands a conversation to human support; the id has the Veritix `esc_` form. */
export async function escalateConversation(
  db: Queryable,
  e: { conversationId: string; reason: string; metadata: Record<string, unknown>; at: Date },
): Promise<Escalation> {
  const id = `esc_${randomBytes(8).toString('hex')}`;
  await db.query('INSERT INTO chat_escalations (id, conversation_id, reason, metadata, created_at) VALUES ($1, $2, $3, $4, $5)', [
    id,
    e.conversationId,
    e.reason,
    JSON.stringify(e.metadata),
    e.at,
  ]);
  return { id, reason: e.reason, metadata: e.metadata, createdAt: e.at };
}

/** Every escalation of a conversation, oldest first. */
export async function listEscalations(db: Queryable, conversationId: string): Promise<Escalation[]> {
  const { rows } = await db.query<{ id: string; reason: string; metadata: Record<string, unknown>; created_at: Date }>(
    'SELECT id, reason, metadata, created_at FROM chat_escalations WHERE conversation_id = $1 ORDER BY created_at, id',
    [conversationId],
  );
  return rows.map((r) => ({ id: r.id, reason: r.reason, metadata: r.metadata, createdAt: r.created_at }));
}

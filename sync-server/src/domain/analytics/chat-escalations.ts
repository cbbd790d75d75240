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

/**
 * The venue an escalation names: `metadata.venue_id`, or the venue of `metadata.event_id`
 * (SQL over `c`, a chat_escalations row). The same rule decides who may read the conversation.
 */
export const ESCALATION_VENUE = `coalesce(c.metadata->>'venue_id', (SELECT e.venue_id::text FROM events e WHERE e.id::text = c.metadata->>'event_id'))`;

export interface ScopedEscalation extends Escalation {
  conversationId: string;
  venueId: string | null;
}

/** The newest escalations of the venues in `venueIds` (null: every one, also those naming no venue), newest first. */
export async function recentEscalations(db: Queryable, venueIds: string[] | null, limit: number): Promise<ScopedEscalation[]> {
  const { rows } = await db.query<{
    id: string;
    conversation_id: string;
    reason: string;
    metadata: Record<string, unknown>;
    created_at: Date;
    venue_id: string | null;
  }>(
    `SELECT * FROM (SELECT c.id, c.conversation_id, c.reason, c.metadata, c.created_at, ${ESCALATION_VENUE} AS venue_id
                      FROM chat_escalations c) x
      WHERE $1::text[] IS NULL OR venue_id = ANY ($1::text[])
      ORDER BY created_at DESC, id LIMIT $2`,
    [venueIds, limit],
  );
  return rows.map((r) => ({
    id: r.id,
    conversationId: r.conversation_id,
    reason: r.reason,
    metadata: r.metadata,
    createdAt: r.created_at,
    venueId: r.venue_id,
  }));
}

/** Whether escalation `id` names one of the venues in `venueIds` (null: every escalation passes). */
export async function escalationInVenues(db: Queryable, id: string, venueIds: string[] | null): Promise<boolean> {
  if (venueIds === null) return true;
  const { rowCount } = await db.query(`SELECT 1 FROM chat_escalations c WHERE c.id = $1 AND ${ESCALATION_VENUE} = ANY ($2::text[])`, [
    id,
    venueIds,
  ]);
  return (rowCount ?? 0) > 0;
}

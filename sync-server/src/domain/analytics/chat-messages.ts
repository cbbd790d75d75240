import { requireConversationWrite } from '../../policy/access.js';
import { withTransaction, type Pool, type Queryable } from '../../db/pool.js';

export type SenderType = 'user' | 'agent';

export interface ChatMessage {
  id: string;
  conversationId: string;
  senderId: string;
  senderType: SenderType;
  content: string;
  metadata: Record<string, unknown>;
  createdAt: Date;
}

interface MessageRow {
  id: string;
  conversation_id: string;
  sender_id: string;
  sender_type: SenderType;
  content: string;
  metadata: Record<string, unknown>;
  created_at: Date;
}

const toMessage = (r: MessageRow): ChatMessage => ({
  id: r.id,
  conversationId: r.conversation_id,
  senderId: r.sender_id,
  senderType: r.sender_type,
  content: r.content,
  metadata: r.metadata,
  createdAt: r.created_at,
});

export interface NewMessage {
  conversationId: string;
  senderId: string;
  senderType: SenderType;
  content: string;
  metadata: Record<string, unknown>;
  /** Server clock, never the client's. */
  at: Date;
}

/**
 * Stores one message. Support staff write anywhere; anyone else may open a new
 * conversation or write in one they are already part of, so a guessed
 * conversation id does not let a stranger join (and then read) someone's chat.
 * The conversation is locked for the check and the insert: of two strangers
 * opening the same id at once, one gets in.
 */
export async function sendMessage(pool: Pool, m: NewMessage, opts: { support: boolean }): Promise<string> {
  return withTransaction(pool, async (db) => {
    await db.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`chat:${m.conversationId}`]);
    if (!opts.support) {
      const { rows } = await db.query<{ started: boolean; joined: boolean }>(
        `SELECT EXISTS (SELECT 1 FROM chat_messages WHERE conversation_id = $1) AS started,
                EXISTS (SELECT 1 FROM chat_messages WHERE conversation_id = $1 AND sender_id = $2) AS joined`,
        [m.conversationId, m.senderId],
      );
      requireConversationWrite(false, rows[0]!);
    }
    return insertMessage(db, m);
  });
}

async function insertMessage(db: Queryable, m: NewMessage): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO chat_messages (conversation_id, sender_id, sender_type, content, metadata, created_at)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [m.conversationId, m.senderId, m.senderType, m.content, JSON.stringify(m.metadata), m.at],
  );
  return rows[0]!.id;
}

/** The last `limit` messages of a conversation, oldest first (the order a chat window shows them). */
export async function conversationHistory(db: Queryable, conversationId: string, limit: number): Promise<ChatMessage[]> {
  const { rows } = await db.query<MessageRow>(
    `SELECT * FROM (
       SELECT id, conversation_id, sender_id, sender_type, content, metadata, created_at
         FROM chat_messages WHERE conversation_id = $1
        ORDER BY created_at DESC, id DESC LIMIT $2
     ) last ORDER BY created_at, id`,
    [conversationId, limit],
  );
  return rows.map(toMessage);
}

/** A user takes part in a conversation once they have written in it. */
export async function isParticipant(db: Queryable, conversationId: string, userId: string): Promise<boolean> {
  const { rowCount } = await db.query('SELECT 1 FROM chat_messages WHERE conversation_id = $1 AND sender_id = $2 LIMIT 1', [conversationId, userId]);
  return (rowCount ?? 0) > 0;
}

/** Conversations a user has written in, most recently active first. */
export async function userConversations(db: Queryable, userId: string): Promise<string[]> {
  const { rows } = await db.query<{ conversation_id: string }>(
    `SELECT conversation_id FROM chat_messages WHERE sender_id = $1
      GROUP BY conversation_id ORDER BY max(created_at) DESC, conversation_id`,
    [userId],
  );
  return rows.map((r) => r.conversation_id);
}

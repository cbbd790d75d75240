import type { Queryable } from '../../db/pool.js';
import { requireLiveChatJoin, type Actor } from '../../policy/access.js';
import { mayReadConversation } from '../analytics/chat-access.js';

/** The live chat join rule (policy/access.ts) with its database facts: has the conversation started, has the user written in it, may they read it. */
export async function checkLiveChatJoin(db: Queryable, conversationId: string, actor: Actor, pathUserId: string): Promise<void> {
  const { rows } = await db.query<{ started: boolean; joined: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM chat_messages WHERE conversation_id = $1) AS started,
            EXISTS (SELECT 1 FROM chat_messages WHERE conversation_id = $1 AND sender_id = $2) AS joined`,
    [conversationId, actor.id],
  );
  requireLiveChatJoin(actor, pathUserId, rows[0]!, await mayReadConversation(db, conversationId, actor));
}

/** Messages a socket may send per window: a fixed window counter, reset every `windowMs`. */
export class MessageBudget {
  private used = 0;
  private windowStart: number;

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
    private readonly now: () => number,
  ) {
    this.windowStart = now();
  }

  take(): boolean {
    const t = this.now();
    if (t - this.windowStart >= this.windowMs) {
      this.windowStart = t;
      this.used = 0;
    }
    if (this.used >= this.max) return false;
    this.used++;
    return true;
  }
}

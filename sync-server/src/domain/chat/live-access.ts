import type { Queryable } from '../../db/pool.js';
import { hasRole, type Role } from '../auth/roles.js';
import { isParticipant } from '../analytics/chat-messages.js';

/**
 * Who may open a live chat socket on a conversation: support staff on any;
 * anyone else on one they have written in, or on a new (empty) one, as with
 * the HTTP endpoint's first message. A stranger cannot listen in on a chat.
 */
export async function mayJoinLiveChat(db: Queryable, conversationId: string, user: { id: string; role: Role }): Promise<boolean> {
  if (hasRole(user.role, 'staff')) return true;
  if (await isParticipant(db, conversationId, user.id)) return true;
  const { rowCount } = await db.query('SELECT 1 FROM chat_messages WHERE conversation_id = $1 LIMIT 1', [conversationId]);
  return !rowCount;
}

/** Messages a socket may send per window: a fixed window counter, reset every `windowMs`. */
export class MessageBudget {
  private used = 0;
  private windowStart: number;

  constructor(private readonly max: number, private readonly windowMs: number, private readonly now: () => number) {
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

import type { Queryable } from '../../db/pool.js';
import { isSupport, requireConversationAccess, type Actor } from '../../policy/access.js';
import { isParticipant } from './chat-messages.js';

/** The conversation access rule (policy/access.ts) with its one database fact; support needs no lookup. */
export async function checkConversationAccess(db: Queryable, conversationId: string, actor: Actor): Promise<void> {
  requireConversationAccess(actor, isSupport(actor) || (await isParticipant(db, conversationId, actor.id)));
}

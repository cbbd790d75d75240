import type { Queryable } from '../../db/pool.js';
import { canReadConversation, isSupport, requireConversationAccess, type Actor, type ConversationFacts } from '../../policy/access.js';
import { venueFilter } from '../../policy/venues.js';
import { venuesOf } from '../access/venue-scope.js';
import { ESCALATION_VENUE } from './chat-escalations.js';
import { isParticipant } from './chat-messages.js';

/**
 * The facts of the conversation rule (policy/access.ts): participation, and for
 * support staff whether an escalation of the conversation names one of their
 * venues (`venue_id` in its metadata, or an `event_id` of one of their venues).
 */
export async function conversationFacts(db: Queryable, conversationId: string, actor: Actor): Promise<ConversationFacts> {
  const participant = await isParticipant(db, conversationId, actor.id);
  if (participant || !isSupport(actor)) return { participant, escalatedToCallersVenue: false };
  const venueIds = venueFilter(await venuesOf(db, actor));
  const { rowCount } = await db.query(
    `SELECT 1 FROM chat_escalations c
      WHERE c.conversation_id = $1 AND ($2::text[] IS NULL OR ${ESCALATION_VENUE} = ANY ($2::text[]))
      LIMIT 1`,
    [conversationId, venueIds],
  );
  return { participant, escalatedToCallersVenue: (rowCount ?? 0) > 0 };
}

export async function checkConversationAccess(db: Queryable, conversationId: string, actor: Actor): Promise<void> {
  requireConversationAccess(actor, await conversationFacts(db, conversationId, actor));
}

/** Whether the caller may read (and so answer) the conversation, without refusing. */
export async function mayReadConversation(db: Queryable, conversationId: string, actor: Actor): Promise<boolean> {
  return canReadConversation(actor, await conversationFacts(db, conversationId, actor));
}

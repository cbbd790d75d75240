import type { Queryable } from '../../db/pool.js';
import { DomainError } from '../errors.js';
import { hasRole, type Role } from '../auth/roles.js';
import { isParticipant } from './chat-messages.js';

/** Support staff (staff and above) answer every conversation; anyone else only the ones they have written in. */
export async function requireConversationAccess(db: Queryable, conversationId: string, user: { id: string; role: Role }): Promise<void> {
  if (hasRole(user.role, 'staff')) return;
  if (!(await isParticipant(db, conversationId, user.id))) throw new DomainError('FORBIDDEN', 'You are not part of this conversation.');
}

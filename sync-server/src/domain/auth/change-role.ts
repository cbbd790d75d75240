import { withTransaction, type Pool } from '../../db/pool.js';
import type { Actor } from '../../policy/access.js';
import { requireRoleChange } from '../../policy/venues.js';
import { recordAudit } from '../audit/audit-log.js';
import { DomainError } from '../errors.js';
import type { Role } from './roles.js';

/**
 * An admin changes a user's role, audited in the same transaction. A user who
 * stops being staff or an operator loses their venue assignments (a later
 * promotion starts unassigned). The user's sessions end with the change (a
 * trigger on users.role), so no token keeps the old role.
 */
export async function changeUserRole(pool: Pool, admin: Actor, input: { userId: string; role: Role }): Promise<{ from: Role; to: Role }> {
  return withTransaction(pool, async (db) => {
    const { rows } = await db.query<{ role: Role }>('SELECT role FROM users WHERE id = $1 FOR UPDATE', [input.userId]);
    const current = rows[0];
    if (!current) throw new DomainError('USER_NOT_FOUND');
    requireRoleChange(admin, input.userId);
    if (current.role === input.role) return { from: current.role, to: input.role };
    await db.query('UPDATE users SET role = $2 WHERE id = $1', [input.userId, input.role]);
    if (input.role !== 'staff' && input.role !== 'operator')
      await db.query('DELETE FROM venue_assignments WHERE user_id = $1', [input.userId]);
    await recordAudit(db, {
      actor: admin,
      action: 'user.role_change',
      targetType: 'user',
      targetId: input.userId,
      details: { from: current.role, to: input.role },
    });
    return { from: current.role, to: input.role };
  });
}

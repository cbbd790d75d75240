import type { Pool } from '../../db/pool.js';
import { withTransaction } from '../../db/pool.js';
import type { Actor } from '../../policy/access.js';
import { requireAssignable, requireAssignmentManager } from '../../policy/venues.js';
import { recordAudit } from '../audit/audit-log.js';
import { DomainError } from '../errors.js';

export interface VenueAssignment {
  userId: string;
  email: string;
  role: string;
  venueId: string;
  venueName: string;
  createdAt: Date;
}

/** Every assignment, optionally of one user or one venue. */
export async function listAssignments(
  db: Pool,
  f: { userId?: string | undefined; venueId?: string | undefined },
): Promise<VenueAssignment[]> {
  const { rows } = await db.query<{ user_id: string; email: string; role: string; venue_id: string; venue_name: string; created_at: Date }>(
    `SELECT a.user_id, u.email, u.role, a.venue_id, v.name AS venue_name, a.created_at
       FROM venue_assignments a JOIN users u ON u.id = a.user_id JOIN venues v ON v.id = a.venue_id
      WHERE ($1::uuid IS NULL OR a.user_id = $1) AND ($2::uuid IS NULL OR a.venue_id = $2)
      ORDER BY u.email, v.name`,
    [f.userId ?? null, f.venueId ?? null],
  );
  return rows.map((r) => ({
    userId: r.user_id,
    email: r.email,
    role: r.role,
    venueId: r.venue_id,
    venueName: r.venue_name,
    createdAt: r.created_at,
  }));
}

/** Assigns a staff member or operator to a venue (admin); assigning twice is harmless and audited once. */
export async function addAssignment(pool: Pool, actor: Actor, input: { userId: string; venueId: string }): Promise<{ created: boolean }> {
  requireAssignmentManager(actor);
  return withTransaction(pool, async (db) => {
    const user = (await db.query<{ role: string }>('SELECT role FROM users WHERE id = $1 FOR SHARE', [input.userId])).rows[0];
    if (!user) throw new DomainError('USER_NOT_FOUND');
    requireAssignable(user);
    const venue = await db.query('SELECT 1 FROM venues WHERE id = $1', [input.venueId]);
    if (!venue.rowCount) throw new DomainError('VENUE_NOT_FOUND');
    const { rowCount } = await db.query(
      'INSERT INTO venue_assignments (user_id, venue_id, created_by) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
      [input.userId, input.venueId, actor.id],
    );
    if (rowCount) {
      await recordAudit(db, {
        actor,
        action: 'venue_assignment.add',
        targetType: 'user',
        targetId: input.userId,
        details: { venue_id: input.venueId },
      });
    }
    return { created: rowCount === 1 };
  });
}

/** Removes an assignment (admin); NOT_FOUND when there was none. */
export async function removeAssignment(pool: Pool, actor: Actor, input: { userId: string; venueId: string }): Promise<void> {
  requireAssignmentManager(actor);
  await withTransaction(pool, async (db) => {
    const { rowCount } = await db.query('DELETE FROM venue_assignments WHERE user_id = $1 AND venue_id = $2', [
      input.userId,
      input.venueId,
    ]);
    if (!rowCount) throw new DomainError('NOT_FOUND', 'That user is not assigned to that venue.');
    await recordAudit(db, {
      actor,
      action: 'venue_assignment.remove',
      targetType: 'user',
      targetId: input.userId,
      details: { venue_id: input.venueId },
    });
  });
}

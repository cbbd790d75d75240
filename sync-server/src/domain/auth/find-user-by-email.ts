import type { Queryable } from '../../db/pool.js';

export interface FoundUser {
  id: string;
  name: string;
}

/**
 * Exact, case-insensitive email match and nothing else: no prefix, no fuzzy
 * match, so a near miss is indistinguishable from an unknown address.
 */
export async function findUserByEmail(db: Queryable, email: string): Promise<FoundUser | null> {
  const { rows } = await db.query<{ id: string; display_name: string }>(
    'SELECT id, display_name FROM users WHERE lower(email) = lower($1)',
    [email.trim()],
  );
  return rows[0] ? { id: rows[0].id, name: rows[0].display_name } : null;
}

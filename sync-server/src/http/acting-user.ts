import { hasRole } from '../domain/auth/roles.js';
import type { AuthUser } from '../plugins/auth.js';
import { AppError } from './app-error.js';

/**
 * Identity comes from the token. Where a body also names a user (the
 * `user_id`, `staff_id`), it must be the token's user — admins may act for
 * someone else — otherwise FORBIDDEN. Returns the user the request acts for.
 */
export function actingUserId(user: AuthUser, claimed: string | undefined, field = 'user_id'): string {
  if (claimed === undefined || claimed === user.id) return user.id;
  if (hasRole(user.role, 'admin')) return claimed;
  throw new AppError('FORBIDDEN', `${field} must be your own user id (it comes from your token).`);
}

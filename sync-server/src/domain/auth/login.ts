import type { AppContext } from '../../context.js';
import { DomainError } from '../errors.js';
import { startSession, type TokenPair } from './sessions.js';
import { userWithPasswordByEmail, type UserProfile } from './users.js';

const INVALID = 'Invalid email or password.';

/**
 * Unknown email and wrong password fail alike, in message and in time (one
 * argon2id verification either way), so login does not reveal who has an account.
 */
export async function login(
  ctx: Pick<AppContext, 'pool' | 'config' | 'signer' | 'passwords' | 'now'>,
  email: string,
  password: string,
): Promise<{ user: UserProfile; tokens: TokenPair }> {
  const found = await userWithPasswordByEmail(ctx.pool, email);
  if (!(await ctx.passwords.check(found?.passwordHash, password)) || !found) throw new DomainError('UNAUTHORIZED', INVALID);
  if (found.user.disabled) throw new DomainError('FORBIDDEN', 'This account is disabled.');
  const rehash = await ctx.passwords.upgraded(found.passwordHash, password);
  if (rehash) await ctx.pool.query('UPDATE users SET password_hash = $2 WHERE id = $1', [found.user.id, rehash]);
  return { user: found.user, tokens: await startSession(ctx, found.user) };
}

import type { AppContext } from '../../context.js';
import { AppError } from '../../http/app-error.js';
import { checkPassword, upgradedHash } from './passwords.js';
import { startSession, type TokenPair } from './sessions.js';
import { userWithPasswordByEmail, type UserProfile } from './users.js';

const INVALID = 'Invalid email or password.';

/**
 * Unknown email and wrong password fail alike, in message and in time (one
 * argon2id verification either way), so login does not reveal who has an account.
 */
export async function login(
  ctx: Pick<AppContext, 'pool' | 'config' | 'signer' | 'now'>,
  email: string,
  password: string,
): Promise<{ user: UserProfile; tokens: TokenPair }> {
  const found = await userWithPasswordByEmail(ctx.pool, email);
  if (!(await checkPassword(ctx.config, found?.passwordHash, password)) || !found) throw new AppError('UNAUTHORIZED', INVALID);
  const rehash = await upgradedHash(ctx.config, found.passwordHash, password);
  if (rehash) await ctx.pool.query('UPDATE users SET password_hash = $2 WHERE id = $1', [found.user.id, rehash]);
  return { user: found.user, tokens: await startSession(ctx, found.user) };
}

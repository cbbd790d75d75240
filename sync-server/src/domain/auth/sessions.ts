import { requireOwnRefreshToken } from '../../policy/access.js';
import { randomUUID } from 'node:crypto';
import { decodeJwt } from 'jose';
import type { AppContext } from '../../context.js';
import { withTransaction, type Queryable } from '../../db/pool.js';
import { DomainError } from '../errors.js';
import type { Role } from './roles.js';

type SessionDeps = Pick<AppContext, 'pool' | 'config' | 'signer' | 'now'>;

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  /** Access token lifetime in seconds. */
  expiresIn: number;
}

/**
 * A session is a rotation family: login starts one, every refresh replaces its
 * refresh token with a new one of the same family. Both tokens carry the family
 * id (`fam`) so logout can end the session from the access token alone.
 *
 * Clocks: access tokens are checked by the auth plugin against the wall clock,
 * so they are signed with it; refresh tokens are only ever checked here, against
 * the app clock (`ctx.now()`), which is what makes their expiry testable.
 */
async function issuePair(db: Queryable, deps: SessionDeps, user: { id: string; role: Role }, family: string): Promise<TokenPair> {
  const now = deps.now();
  const { config, signer } = deps;
  const access = await signer.sign({ userId: user.id, role: user.role, typ: 'access', ttlSeconds: config.ACCESS_TOKEN_TTL_SECONDS, family });
  const refresh = await signer.sign({ userId: user.id, role: user.role, typ: 'refresh', ttlSeconds: config.REFRESH_TOKEN_TTL_SECONDS, family, now });
  await db.query('INSERT INTO refresh_tokens (jti, user_id, family_id, expires_at, created_at) VALUES ($1, $2, $3, $4, $5)', [
    refresh.jti,
    user.id,
    family,
    refresh.expiresAt,
    new Date(now),
  ]);
  return { accessToken: access.token, refreshToken: refresh.token, expiresIn: config.ACCESS_TOKEN_TTL_SECONDS };
}

export function startSession(deps: SessionDeps, user: { id: string; role: Role }): Promise<TokenPair> {
  return issuePair(deps.pool, deps, user, randomUUID());
}

async function revokeFamily(db: Queryable, family: string, now: number): Promise<void> {
  await db.query('UPDATE refresh_tokens SET revoked_at = $2 WHERE family_id = $1 AND revoked_at IS NULL', [family, new Date(now)]);
}

type Rotation = { ok: true; pair: TokenPair } | { ok: false; message: string };

/**
 * Trades a refresh token for a new pair. Each refresh token works once: a second
 * use means it was copied, so the whole family is revoked (the thief's and the
 * owner's tokens alike) and the owner must log in again. The role comes from
 * the database, so a role change takes effect at the next refresh.
 */
export async function rotateRefreshToken(deps: SessionDeps, token: string): Promise<TokenPair> {
  const claims = await deps.signer.verify(token, 'refresh', { now: deps.now() });
  const outcome = await withTransaction(deps.pool, async (db): Promise<Rotation> => {
    const { rows } = await db.query<{ family_id: string; used_at: Date | null; revoked_at: Date | null; role: Role; user_id: string }>(
      `SELECT r.family_id, r.used_at, r.revoked_at, u.role, u.id AS user_id
         FROM refresh_tokens r JOIN users u ON u.id = r.user_id
        WHERE r.jti = $1 FOR UPDATE OF r`,
      [claims.jti],
    );
    const row = rows[0];
    if (!row) return { ok: false, message: 'Unknown refresh token.' };
    if (row.revoked_at) return { ok: false, message: 'Refresh token has been revoked. Log in again.' };
    if (row.used_at) {
      // Committed, not rolled back: the revocation must outlive this failed request.
      await revokeFamily(db, row.family_id, deps.now());
      return { ok: false, message: 'Refresh token was already used; the session has been revoked. Log in again.' };
    }
    await db.query('UPDATE refresh_tokens SET used_at = $2 WHERE jti = $1', [claims.jti, new Date(deps.now())]);
    return { ok: true, pair: await issuePair(db, deps, { id: row.user_id, role: row.role }, row.family_id) };
  });
  if (!outcome.ok) throw new DomainError('UNAUTHORIZED', outcome.message);
  return outcome.pair;
}

/**
 * Ends a session: the access token is blocklisted until it would have expired
 * anyway, and the session's refresh family (and that of `refreshToken`, when
 * the client names one) is revoked. Logging out twice is harmless.
 */
export async function endSession(
  deps: SessionDeps,
  access: { userId: string; jti: string; exp: number; token: string },
  refreshToken?: string,
): Promise<void> {
  const families = new Set<string>();
  const fam = decodeJwt(access.token).fam;
  if (typeof fam === 'string') families.add(fam);
  if (refreshToken !== undefined) {
    const family = await refreshFamilyOf(deps, refreshToken);
    if (family) {
      requireOwnRefreshToken(access.userId, family.userId);
      families.add(family.id);
    }
  }
  await withTransaction(deps.pool, async (db) => {
    await db.query('INSERT INTO token_blocklist (jti, expires_at) VALUES ($1, $2) ON CONFLICT (jti) DO NOTHING', [
      access.jti,
      new Date(access.exp * 1000),
    ]);
    for (const f of families) await revokeFamily(db, f, deps.now());
  });
}

/** The family of a validly signed refresh token; undefined when it has expired (nothing left to revoke). */
async function refreshFamilyOf(deps: SessionDeps, token: string): Promise<{ id: string; userId: string } | undefined> {
  try {
    const claims = await deps.signer.verify(token, 'refresh', { now: deps.now() });
    return claims.fam ? { id: claims.fam, userId: claims.sub } : undefined;
  } catch (err) {
    if (err instanceof DomainError && err.code === 'TOKEN_EXPIRED') return undefined;
    throw new DomainError('UNAUTHORIZED', 'Invalid refresh token.');
  }
}

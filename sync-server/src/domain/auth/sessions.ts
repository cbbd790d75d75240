import { randomUUID } from 'node:crypto';
import type { AppContext } from '../../context.js';
import { withTransaction, type Queryable } from '../../db/pool.js';
import { requireOwnRefreshToken } from '../../policy/access.js';
import { DomainError } from '../errors.js';
import type { Role } from './roles.js';

type SessionDeps = Pick<AppContext, 'pool' | 'config' | 'signer' | 'now'>;

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  /** Access token lifetime in seconds. */
  expiresIn: number;
}

export type SessionEndReason = 'LOGOUT' | 'REFRESH_REUSE';

/**
 * A session is a login: a row in `sessions` and a rotation family of refresh
 * tokens with the same id. Every access token names its session (`sid`), every
 * refresh token its family (`fam`); the auth plugin checks the session on each
 * request, so ending it ends every access token it issued, on every instance.
 *
 * Clocks: access tokens are checked by the auth plugin against the wall clock,
 * so they are signed with it; refresh tokens are only ever checked here, against
 * the app clock (`ctx.now()`), which is what makes their expiry testable.
 */
async function issuePair(db: Queryable, deps: SessionDeps, user: { id: string; role: Role }, session: string): Promise<TokenPair> {
  const now = deps.now();
  const { config, signer } = deps;
  const access = await signer.sign({
    userId: user.id,
    role: user.role,
    typ: 'access',
    ttlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
    session,
  });
  const refresh = await signer.sign({
    userId: user.id,
    role: user.role,
    typ: 'refresh',
    ttlSeconds: config.REFRESH_TOKEN_TTL_SECONDS,
    family: session,
    now,
  });
  await db.query('INSERT INTO refresh_tokens (jti, user_id, family_id, expires_at, created_at) VALUES ($1, $2, $3, $4, $5)', [
    refresh.jti,
    user.id,
    session,
    refresh.expiresAt,
    new Date(now),
  ]);
  return { accessToken: access.token, refreshToken: refresh.token, expiresIn: config.ACCESS_TOKEN_TTL_SECONDS };
}

/** Opens a session row for a user; its id goes into the tokens. */
export async function openSession(db: Queryable, userId: string, now: number): Promise<string> {
  const id = randomUUID();
  await db.query('INSERT INTO sessions (id, user_id, created_at) VALUES ($1, $2, $3)', [id, userId, new Date(now)]);
  return id;
}

export function startSession(deps: SessionDeps, user: { id: string; role: Role }): Promise<TokenPair> {
  return withTransaction(deps.pool, async (db) => issuePair(db, deps, user, await openSession(db, user.id, deps.now())));
}

/** Ends sessions (their trigger NOTIFYs every instance) and revokes their refresh tokens. */
async function endSessions(db: Queryable, ids: string[], reason: SessionEndReason, now: number): Promise<void> {
  const at = new Date(now);
  await db.query('UPDATE sessions SET ended_at = $2, end_reason = $3 WHERE id = ANY($1::uuid[]) AND ended_at IS NULL', [ids, at, reason]);
  await db.query('UPDATE refresh_tokens SET revoked_at = $2 WHERE family_id = ANY($1::uuid[]) AND revoked_at IS NULL', [ids, at]);
}

type Rotation = { ok: true; pair: TokenPair } | { ok: false; message: string };

/**
 * Trades a refresh token for a new pair. Each refresh token works once: a second
 * use means it was copied, so the whole session ends (the thief's and the
 * owner's tokens alike, access tokens included) and the owner must log in
 * again. The role comes from the database.
 */
export async function rotateRefreshToken(deps: SessionDeps, token: string): Promise<TokenPair> {
  const claims = await deps.signer.verify(token, 'refresh', { now: deps.now() });
  const outcome = await withTransaction(deps.pool, async (db): Promise<Rotation> => {
    const { rows } = await db.query<{
      family_id: string;
      used_at: Date | null;
      revoked_at: Date | null;
      ended_at: Date | null;
      disabled_at: Date | null;
      role: Role;
      user_id: string;
    }>(
      `SELECT r.family_id, r.used_at, r.revoked_at, s.ended_at, u.disabled_at, u.role, u.id AS user_id
         FROM refresh_tokens r JOIN sessions s ON s.id = r.family_id JOIN users u ON u.id = r.user_id
        WHERE r.jti = $1 FOR UPDATE OF r`,
      [claims.jti],
    );
    const row = rows[0];
    if (!row) return { ok: false, message: 'Unknown refresh token.' };
    if (row.revoked_at || row.ended_at || row.disabled_at)
      return {
        ok: false,
        message: 'This session has been revoked (logout, a replayed refresh token, a role change or a disabled account). Log in again.',
      };
    if (row.used_at) {
      // Committed, not rolled back: the revocation must outlive this failed request.
      await endSessions(db, [row.family_id], 'REFRESH_REUSE', deps.now());
      return { ok: false, message: 'Refresh token was already used; the session has been revoked. Log in again.' };
    }
    await db.query('UPDATE refresh_tokens SET used_at = $2 WHERE jti = $1', [claims.jti, new Date(deps.now())]);
    return { ok: true, pair: await issuePair(db, deps, { id: row.user_id, role: row.role }, row.family_id) };
  });
  if (!outcome.ok) throw new DomainError('UNAUTHORIZED', outcome.message);
  return outcome.pair;
}

/**
 * Logout: ends the access token's session (and that of `refreshToken`, when
 * the client names another one of its own); returns the ids of both.
 */
export async function endSession(
  deps: SessionDeps,
  access: { userId: string; sessionId: string },
  refreshToken?: string,
): Promise<string[]> {
  const sessions = new Set<string>([access.sessionId]);
  if (refreshToken !== undefined) {
    const family = await refreshFamilyOf(deps, refreshToken);
    if (family) {
      requireOwnRefreshToken(access.userId, family.userId);
      sessions.add(family.id);
    }
  }
  await withTransaction(deps.pool, (db) => endSessions(db, [...sessions], 'LOGOUT', deps.now()));
  return [...sessions];
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

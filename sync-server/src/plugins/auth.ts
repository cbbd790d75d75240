import type { FastifyInstance, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import { DomainError } from '../domain/errors.js';
import { hasRole, type Role } from '../domain/auth/roles.js';
import type { TokenClaims } from '../domain/auth/tokens.js';

export interface AuthUser {
  id: string;
  /** The user's current role in the database (the token's claim is not trusted for it). */
  role: Role;
  sessionId: string;
  jti: string;
  exp: number;
}

declare module 'fastify' {
  interface FastifyRequest {
    user?: AuthUser;
  }
  interface FastifyInstance {
    /** preHandler: a valid access token of an open session is required. */
    authenticate: preHandlerAsyncHookHandler;
    /** preHandler: authenticated and at least this role. */
    requireRole(role: Role): preHandlerAsyncHookHandler;
  }
}

export function bearerToken(req: FastifyRequest): string {
  const h = req.headers.authorization;
  if (!h) throw new DomainError('UNAUTHORIZED', 'Missing Authorization header.');
  const m = /^Bearer\s+(\S+)$/i.exec(h);
  if (!m) throw new DomainError('UNAUTHORIZED', 'Authorization header must be "Bearer <token>".');
  return m[1]!;
}

/**
 * Identity always comes from the token; routes read `req.user`, never a body
 * field. The token only names the user and the session: whether the session is
 * still open, and the user's role, come from the session check (database, cached
 * per instance and invalidated across instances by NOTIFY).
 */
export const auth = fp(async (app: FastifyInstance) => {
  const { signer, sessions } = app.ctx;

  async function verifyAccess(req: FastifyRequest): Promise<AuthUser> {
    const claims: TokenClaims = await signer.verify(bearerToken(req), 'access');
    if (!claims.sid) throw new DomainError('UNAUTHORIZED', 'This token belongs to no session. Log in again.');
    const session = await sessions.active(claims.sid);
    if (!session || session.userId !== claims.sub)
      throw new DomainError('UNAUTHORIZED', 'This session has ended (logged out, revoked or changed). Log in again.');
    return { id: session.userId, role: session.role, sessionId: session.sessionId, jti: claims.jti, exp: claims.exp };
  }

  app.decorateRequest('user', undefined);
  app.decorate('authenticate', async function (req: FastifyRequest) {
    req.user = await verifyAccess(req);
  });
  app.decorate(
    'requireRole',
    (role: Role) =>
      async function (req: FastifyRequest) {
        req.user ??= await verifyAccess(req);
        if (!hasRole(req.user.role, role)) throw new DomainError('FORBIDDEN', `Requires role ${role} or above.`);
      },
  );
});

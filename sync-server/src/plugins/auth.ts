import type { FastifyInstance, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import { DomainError } from '../domain/errors.js';
import { hasRole, type Role } from '../domain/auth/roles.js';
import type { TokenClaims } from '../domain/auth/tokens.js';

export interface AuthUser {
  id: string;
  role: Role;
  jti: string;
  exp: number;
}

declare module 'fastify' {
  interface FastifyRequest {
    user?: AuthUser;
  }
  interface FastifyInstance {
    /** preHandler: a valid, not logged-out access token is required. */
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

/** Identity always comes from the token; routes read `req.user`, never a body field. */
export const auth = fp(async (app: FastifyInstance) => {
  const { signer, pool } = app.ctx;

  async function verifyAccess(req: FastifyRequest): Promise<AuthUser> {
    const claims: TokenClaims = await signer.verify(bearerToken(req), 'access');
    const { rowCount } = await pool.query('SELECT 1 FROM token_blocklist WHERE jti = $1', [claims.jti]);
    if (rowCount) throw new DomainError('UNAUTHORIZED', 'Token has been revoked (logged out).');
    return { id: claims.sub, role: claims.role, jti: claims.jti, exp: claims.exp };
  }

  app.decorateRequest('user', undefined);
  app.decorate('authenticate', async function (req: FastifyRequest) {
    req.user = await verifyAccess(req);
  });
  app.decorate('requireRole', (role: Role) => async function (req: FastifyRequest) {
    req.user ??= await verifyAccess(req);
    if (!hasRole(req.user.role, role)) throw new DomainError('FORBIDDEN', `Requires role ${role} or above.`);
  });
});

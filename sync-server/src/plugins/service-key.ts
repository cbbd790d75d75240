import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { Role } from '../domain/auth/roles.js';
import { DomainError } from '../domain/errors.js';

export const SERVICE_KEY_HEADER = 'x-service-key';

/**
 * Constant-time comparison of a presented key with the configured one. Both are
 * hashed first so neither the content nor the length of the secret leaks through
 * timing. No configured key matches nothing.
 */
export function serviceKeyMatches(expected: string | undefined, given: string | undefined): boolean {
  if (!expected || given === undefined) return false;
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(expected), digest(given));
}

function presentedKey(req: FastifyRequest): string | undefined {
  const v = req.headers[SERVICE_KEY_HEADER];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * preHandler for business data, which is never served anonymously: a
 * back-office service presents `X-Service-Key` (SERVICE_API_KEY), a person an
 * access token of at least `role`. A key that is presented must be right, even
 * next to a valid token, so a misconfigured service fails loudly.
 */
export function serviceKeyOrRole(app: FastifyInstance, role: Role): preHandlerAsyncHookHandler {
  const byRole = app.requireRole(role);
  return async function (this: FastifyInstance, req: FastifyRequest, reply: FastifyReply) {
    const key = presentedKey(req);
    if (key === undefined) return byRole.call(this, req, reply);
    if (!app.ctx.config.SERVICE_API_KEY)
      throw new DomainError('UNAUTHORIZED', 'Service keys are not enabled on this server: use an operator token.');
    if (!serviceKeyMatches(app.ctx.config.SERVICE_API_KEY, key)) throw new DomainError('UNAUTHORIZED', 'Invalid service key.');
  };
}

/**
 * preHandler for machine endpoints (/metrics): open while no SERVICE_API_KEY is
 * configured (development only: production refuses to start without one), otherwise the key is required, as `X-Service-Key` or as a bearer
 * token (what Prometheus' `authorization` scrape setting sends).
 */
export function serviceKeyIfConfigured(app: FastifyInstance): preHandlerAsyncHookHandler {
  return async function (req: FastifyRequest) {
    const expected = app.ctx.config.SERVICE_API_KEY;
    if (!expected) return;
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (serviceKeyMatches(expected, presentedKey(req)) || serviceKeyMatches(expected, bearer)) return;
    throw new DomainError('UNAUTHORIZED', 'This endpoint requires the service key (X-Service-Key or Authorization: Bearer).');
  };
}

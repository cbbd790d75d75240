import type { FastifyInstance, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { DomainError } from '../domain/errors.js';
import { SERVICE_KEY_HEADER, serviceKeyMatches } from './service-key.js';

/** preHandler for machine-to-machine endpoints: the right `X-Service-Key`, nothing else. */
export function requireServiceKey(app: FastifyInstance): preHandlerAsyncHookHandler {
  return async function (req: FastifyRequest) {
    const expected = app.ctx.config.SERVICE_API_KEY;
    if (!expected) throw new DomainError('UNAUTHORIZED', 'Service keys are not enabled on this server.');
    const given = req.headers[SERVICE_KEY_HEADER];
    if (!serviceKeyMatches(expected, Array.isArray(given) ? given[0] : given))
      throw new DomainError('UNAUTHORIZED', 'A valid X-Service-Key is required.');
  };
}

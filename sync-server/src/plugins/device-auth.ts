import type { FastifyInstance, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import { authenticateDevice, type DeviceIdentity } from '../domain/sync/device-identity.js';
import { DomainError } from '../domain/errors.js';
import { bearerToken } from './auth.js';

declare module 'fastify' {
  interface FastifyRequest {
    device?: DeviceIdentity;
  }
  interface FastifyInstance {
    /** preHandler: a gate's device token (not a user token); revoked devices get DEVICE_REVOKED. */
    authenticateDevice: preHandlerAsyncHookHandler;
  }
}

/** Gates authenticate with their own enrolment credential, never with a user's token. */
export const deviceAuth = fp(
  async (app: FastifyInstance) => {
    app.decorateRequest('device', undefined);
    app.decorate('authenticateDevice', async function (req: FastifyRequest) {
      req.device = await authenticateDevice(app.ctx, bearerToken(req));
    });
  },
  { name: 'device-auth' },
);

/** The authenticated device of a route behind `authenticateDevice`. */
export function deviceOf(req: FastifyRequest): DeviceIdentity {
  if (!req.device) throw new DomainError('UNAUTHORIZED', 'A device token is required.');
  return req.device;
}

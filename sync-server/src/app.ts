import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from './context.js';
import { auth } from './plugins/auth.js';
import { errorHandler } from './plugins/error-handler.js';
import { metrics } from './plugins/metrics.js';
import { openapi } from './plugins/openapi.js';
import { healthRoutes } from './routes/health.js';
import { apiRoutes } from './routes/index.js';

/** A hop count trusts that many proxies in front of us (proxy-addr counts hops from the socket, 0 being the socket's peer). */
function trustProxyOption(setting: false | number | string[]): false | string[] | ((address: string, hop: number) => boolean) {
  return typeof setting === 'number' ? (_address, hop) => hop < setting : setting;
}

export interface BuildOptions {
  /** Replaces the context's logger (tests pass `false`). */
  logger?: boolean | { level: string };
}

/**
 * Builds the Fastify app without listening (tests use `inject`); `server.ts`
 * owns the database, the background jobs and `listen()`.
 */
export async function build(ctx: AppContext, opts: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    ...(opts.logger === undefined ? { loggerInstance: ctx.log as FastifyBaseLogger } : { logger: opts.logger }),
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w-]{8,64}$/.test(given) ? given : randomUUID();
    },
    requestIdHeader: false,
    bodyLimit: 1024 * 1024,
    // Which X-Forwarded-For hops to believe (TRUST_PROXY); by default none: the socket's address is the client's.
    trustProxy: trustProxyOption(ctx.config.TRUST_PROXY),
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('ctx', ctx);
  app.addHook('onClose', () => ctx.passwords.close());
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });

  await app.register(errorHandler);
  await app.register(openapi);
  await app.register(auth);
  await app.register(metrics);
  await app.register(healthRoutes);
  await app.register(apiRoutes, { prefix: '/api' });
  return app;
}

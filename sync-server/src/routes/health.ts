import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { Health } from './schemas/health.js';

/** 200 with the database reachable, 503 otherwise. */
export const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/health',
    { schema: { tags: ['Health'], summary: 'Liveness and database check', response: { 200: Health, 503: Health } } },
    async (_req, reply) => {
      let database: 'connected' | 'disconnected' = 'connected';
      try {
        await Promise.race([
          app.ctx.pool.query('SELECT 1'),
          new Promise((_, reject) => setTimeout(() => reject(new Error('health check timeout')), 2000).unref()),
        ]);
      } catch {
        database = 'disconnected';
      }
      const healthy = database === 'connected';
      return reply.status(healthy ? 200 : 503).send({
        status: healthy ? 'healthy' : 'unhealthy',
        service: 'ticketgate-sync-server',
        timestamp: new Date(app.ctx.now()).toISOString(),
        checks: { database },
      });
    },
  );
};

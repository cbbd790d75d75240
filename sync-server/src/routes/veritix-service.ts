import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';

/** The Veritix API version these endpoints follow (the shapes of their 200 bodies). */
export const VERITIX_API_VERSION = '0.1.0';
const SERVICE = 'TicketGate Veritix API';

/**
 * Veritix' service root and health, in its shapes, under /api. Liveness only:
 * the database check with TicketRemaster's shape stays at the root `/health`.
 */
export const veritixServiceRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['Health'];
  app.get(
    '/',
    {
      schema: {
        tags,
        summary: 'Veritix service root (liveness message)',
        description: 'Public. Says the service is running; `GET /api/health` has the version, `GET /health` the database check.',
        response: { 200: z.object({ message: z.string() }) },
      },
    },
    async () => ({ message: `${SERVICE} is running. Check /api/health for status.` }),
  );
  app.get(
    '/health',
    {
      schema: {
        tags,
        summary: 'Veritix health (service name and API version)',
        description: 'Public liveness in the Veritix shape. The database check is `GET /health` (TicketRemaster shape).',
        response: { 200: z.object({ status: z.literal('OK'), service: z.string(), api_version: z.string() }) },
      },
    },
    async () => ({ status: 'OK' as const, service: SERVICE, api_version: VERITIX_API_VERSION }),
  );
};

import type { FastifyPluginAsync } from 'fastify';
import { authRoutes } from './auth.js';
import { catalogRoutes } from './catalog.js';
import { eventRoutes } from './events.js';
import { transferRoutes } from './transfers.js';
import { syncRoutes } from './sync.js';

/**
 * The public API under /api. Each domain registers its routes module here
 * (one line each); routes hold HTTP only, transactions live in src/domain.
 */
export const apiRoutes: FastifyPluginAsync = async (app) => {
  await app.register(authRoutes);
  await app.register(eventRoutes);
  await app.register(catalogRoutes);
  await app.register(transferRoutes);
  await app.register(syncRoutes, { prefix: '/sync' });
};

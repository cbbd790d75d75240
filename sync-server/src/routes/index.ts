import type { FastifyPluginAsync } from 'fastify';

/**
 * The public API under /api. Each domain registers its routes module here
 * (one line each); routes hold HTTP only, transactions live in src/domain.
 */
export const apiRoutes: FastifyPluginAsync = async (_app) => {
};

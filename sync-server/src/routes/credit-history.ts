import { PageQuery, fromCents, paginated } from '@ticketgate/protocol';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { creditHistory } from '../domain/credits/history.js';
import { LedgerEntry, docs } from './schemas/credit-history.js';

/** The credit history a fan sees next to the balance (docs/api.md). */
export const creditHistoryRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/credits/history',
    {
      preHandler: app.authenticate,
      schema: {
        tags: ['Credits'],
        security: [{ bearer: [] }],
        summary: 'My credit history',
        description: docs.description,
        querystring: PageQuery,
        response: { 200: paginated(LedgerEntry), ...docs.errors },
      },
    },
    async (req) => {
      const { page, per_page } = req.query;
      const { items, total } = await creditHistory(app.ctx.pool, req.user!.id, { page, perPage: per_page });
      return {
        success: true as const,
        data: items.map((e) => ({
          id: e.id,
          kind: e.kind,
          amount: fromCents(e.amountCents),
          balance_after: fromCents(e.balanceAfterCents),
          reference_type: e.referenceType,
          reference_id: e.referenceId,
          created_at: e.createdAt.toISOString(),
        })),
        pagination: { page, per_page, total, total_pages: Math.ceil(total / per_page) },
      };
    },
  );
};

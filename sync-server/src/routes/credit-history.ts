import { PageQuery, fromCents, paginated } from '@ticketgate/protocol';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { creditHistory } from '../domain/credits/history.js';
import { AUTH_ERRORS, documentErrors } from '../http/error-docs.js';

const Entry = z.object({
  id: z.number().int(),
  kind: z.enum(['OPENING', 'TOPUP', 'PURCHASE', 'TRANSFER_IN', 'TRANSFER_OUT', 'REVERSAL_IN', 'REVERSAL_OUT', 'ADJUSTMENT']),
  amount: z.number().describe('Signed, major units: positive credits you received, negative what you spent'),
  balance_after: z.number().describe('Total credits after this movement, major units'),
  reference_type: z.string().nullable().describe('What caused it: order, transfer, topup, …'),
  reference_id: z.string().nullable(),
  created_at: z.string().describe('ISO 8601, UTC'),
});

const docs = documentErrors("The caller's credit ledger, newest first: every top-up, purchase and transfer that moved credits.", [
  ...AUTH_ERRORS,
  ['VALIDATION_ERROR', 'Bad query (page ≥ 1, 1 ≤ per_page ≤ 100)'],
]);

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
        response: { 200: paginated(Entry), ...docs.errors },
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

import { PageQuery, paginated } from '@ticketgate/protocol';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { listSmsOutbox } from '../domain/otp/sms-outbox.js';
import { OutboxMessage, docs } from './schemas/ops-outbox.js';

/** The development SMS outbox: admins only (its rows hold live codes; operators could otherwise confirm others' transfers). */
export const opsOutboxRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/ops/outbox',
    {
      preHandler: app.requireRole('admin'),
      schema: {
        tags: ['Operations'],
        security: [{ bearer: [] }],
        summary: 'Read the SMS outbox (development provider)',
        description: docs.description,
        querystring: PageQuery,
        response: { 200: paginated(OutboxMessage), ...docs.errors },
      },
    },
    async (req) => {
      const { page, per_page } = req.query;
      const { items, total } = await listSmsOutbox(app.ctx.pool, { page, perPage: per_page });
      return {
        success: true as const,
        data: items.map((m) => ({ id: m.id, user_id: m.userId, phone: m.phone, text: m.text, created_at: m.createdAt.toISOString() })),
        pagination: { page, per_page, total, total_pages: Math.ceil(total / per_page) },
      };
    },
  );
};

import { renderQrPng, renderQrSvg } from '@ticketgate/crypto/qr-image';
import { fromCents, ok } from '@ticketgate/protocol';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { issueTicketQr } from '../domain/tickets/issue-ticket-qr.js';
import { listTickets } from '../domain/tickets/list-tickets.js';
import { Qr, QrQuery, SeatParams, Ticket, docs } from './schemas/tickets.js';

/** The caller's tickets and their rotating QR. */
export const ticketRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  const tags = ['Tickets'];
  const security = [{ bearer: [] }];

  app.get(
    '/tickets',
    {
      preHandler: app.authenticate,
      schema: {
        tags,
        security,
        summary: 'My tickets',
        description: docs.list.description,
        response: { 200: ok(z.array(Ticket)), ...docs.list.errors },
      },
    },
    async (req) => {
      const tickets = await listTickets(ctx.pool, req.user!.id);
      return {
        success: true as const,
        data: tickets.map((t) => ({
          seat_id: t.seatId,
          event: { event_id: t.event.id, name: t.event.name, event_date: t.event.date.toISOString(), hall_id: t.event.hallId },
          row_number: t.rowLabel,
          seat_number: t.seatNumber,
          category: t.category,
          status: t.status,
          price_paid: t.pricePaidCents === null ? null : fromCents(t.pricePaidCents),
          purchased_at: t.purchasedAt?.toISOString() ?? null,
        })),
      };
    },
  );

  app.get(
    '/tickets/:seat_id/qr',
    {
      preHandler: app.authenticate,
      schema: {
        tags,
        security,
        summary: 'Fresh 60-second QR credential for my ticket',
        description: docs.qr.description,
        params: SeatParams,
        querystring: QrQuery,
        response: { 200: ok(Qr), ...docs.qr.errors },
      },
    },
    async (req, reply) => {
      const qr = await issueTicketQr(ctx, { userId: req.user!.id, seatId: req.params.seat_id });
      const { format } = req.query;
      if (format !== 'json') {
        // A Buffer bypasses the JSON serializer (and its schema), so the cast only silences the JSON typing.
        const image = format === 'png' ? await renderQrPng(qr.payload) : Buffer.from(await renderQrSvg(qr.payload));
        return reply
          .type(format === 'png' ? 'image/png' : 'image/svg+xml')
          .header('cache-control', 'no-store')
          .header('x-qr-expires-at', qr.expiresAt.toISOString())
          .header('x-qr-ttl-seconds', String(qr.ttlSeconds))
          .send(image as never);
      }
      return reply.header('cache-control', 'no-store').send({
        success: true as const,
        data: {
          qr_payload: qr.payload,
          generated_at: qr.generatedAt.toISOString(),
          expires_at: qr.expiresAt.toISOString(),
          ttl_seconds: qr.ttlSeconds,
        },
      });
    },
  );
};

import { renderQrPng, renderQrSvg } from '@ticketgate/crypto/qr-image';
import { fromCents, ok } from '@ticketgate/protocol';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { issueTicketQr } from '../domain/tickets/issue-ticket-qr.js';
import { listTickets } from '../domain/tickets/list-tickets.js';
import { AUTH_ERRORS, documentErrors } from '../http/error-docs.js';

const Ticket = z
  .object({
    seat_id: z.uuid(),
    event: z.object({ event_id: z.uuid(), name: z.string(), event_date: z.string(), hall_id: z.string() }),
    row_number: z.string(),
    seat_number: z.number().int(),
    category: z.string(),
    status: z.enum(['SOLD', 'CHECKED_IN']),
    price_paid: z.number().nullable().describe('Major units: the order price, or the transfer price for a ticket bought from another fan'),
    purchased_at: z.string().nullable().describe('ISO 8601, UTC'),
  })
  .meta({ id: 'Ticket' });
const SeatParams = z.object({ seat_id: z.uuid() });
const QrQuery = z.object({
  format: z.enum(['json', 'png', 'svg']).default('json').describe('json (default): the payload; png or svg: the QR image itself'),
});
const Qr = z.object({
  qr_payload: z.string().describe('Base32 credential text (A–Z, 2–7): encode it as the QR'),
  generated_at: z.string(),
  expires_at: z.string(),
  ttl_seconds: z.number().int(),
});

const docs = {
  list: documentErrors("The caller's tickets (seats SOLD to them or already CHECKED_IN), by event date.", AUTH_ERRORS),
  qr: documentErrors(
    'A fresh ticket credential, valid 60 seconds (the app polls about every 50 s). Owner only, SOLD seats only. ' +
      'With `?format=png` or `?format=svg` the answer is the QR image (image/png, image/svg+xml) instead of JSON; ' +
      'the QR headers `x-qr-expires-at` and `x-qr-ttl-seconds` then carry the validity.',
    [
      ...AUTH_ERRORS,
      ['INVALID_UUID', 'seat_id is not a UUID'],
      ['VALIDATION_ERROR', 'Unknown format'],
      ['SEAT_NOT_FOUND', 'seat_id does not exist'],
      ['NOT_SEAT_OWNER', "The token's user does not own this seat"],
      ['SEAT_UNAVAILABLE', 'The seat is not SOLD: payment not completed, or the ticket was already used to enter'],
    ],
  ),
};

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

import { renderQrPng, renderQrSvg } from '@ticketgate/crypto/qr-image';
import { fromCents, ok } from '@ticketgate/protocol';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { fromBase64Url, toBase64Url } from '@ticketgate/crypto';
import { bindDevice } from '../domain/tickets/bind-device.js';
import { DomainError } from '../domain/errors.js';
import { issueTicketQr } from '../domain/tickets/issue-ticket-qr.js';
import { limitHook, limitsOf } from '../http/rate-limits.js';
import { listTickets } from '../domain/tickets/list-tickets.js';
import { DeviceKeyBody, Qr, QrQuery, SeatParams, Ticket, TicketPass, docs } from './schemas/tickets.js';

/** The caller's tickets and their rotating QR. */
export const ticketRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  const tags = ['Tickets'];
  const security = [{ bearer: [] }];
  const bindLimit = limitHook(ctx.limiter, limitsOf(ctx.config).deviceBind, (req) => req.user!.id);

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

  app.post(
    '/tickets/:seat_id/device',
    {
      preHandler: [app.authenticate, bindLimit],
      schema: {
        tags,
        security,
        summary: 'Bind my phone to my ticket: the device-bound pass',
        description: docs.device.description,
        params: SeatParams,
        body: DeviceKeyBody,
        response: { 200: ok(TicketPass), ...docs.device.errors },
      },
    },
    async (req, reply) => {
      const { algorithm, public_key, replace } = req.body;
      let publicKey: Uint8Array;
      try {
        publicKey = fromBase64Url(public_key);
      } catch {
        throw new DomainError('VALIDATION_ERROR', 'public_key is not canonical base64url.', [
          { field: 'body.public_key', message: 'not canonical base64url' },
        ]);
      }
      const p = await bindDevice(ctx, {
        userId: req.user!.id,
        role: req.user!.role,
        seatId: req.params.seat_id,
        algorithm,
        publicKey,
        replace,
      });
      return reply.header('cache-control', 'no-store').send({
        success: true as const,
        data: {
          pass: toBase64Url(p.pass),
          algorithm,
          generation: p.generation,
          valid_from: p.validFrom.toISOString(),
          valid_until: p.validUntil.toISOString(),
          step_seconds: p.stepSeconds,
          binding: p.binding,
        },
      });
    },
  );
};

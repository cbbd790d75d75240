import { fromCents, ok } from '@ticketgate/protocol';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { payOrder } from '../domain/purchase/pay-order.js';
import { reserveSeat } from '../domain/purchase/reserve-seat.js';
import { limitHook, limitsOf } from '../http/rate-limits.js';
import { ownUserId } from '../policy/access.js';
import { Paid, PayBody, ReserveBody, Reserved, docs } from './schemas/purchase.js';

/** Reserve and pay. */
export const purchaseRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  const tags = ['Purchase'];
  const security = [{ bearer: [] }];
  const reserveLimit = limitHook(ctx.limiter, limitsOf(ctx.config).reserve, (req) => req.user!.id);

  app.post(
    '/reserve',
    {
      preHandler: [app.authenticate, reserveLimit],
      schema: {
        tags,
        security,
        summary: 'Reserve a seat (5-minute hold)',
        description: docs.reserve.description,
        body: ReserveBody,
        response: { 200: ok(Reserved), ...docs.reserve.errors },
      },
    },
    async (req) => {
      const userId = ownUserId(req.user!, req.body.user_id);
      const r = await reserveSeat(ctx, { userId, seatId: req.body.seat_id, clientAddress: req.ip });
      const minutes = Math.ceil(r.ttlSeconds / 60);
      return {
        success: true as const,
        data: {
          order_id: r.orderId,
          seat_id: r.seatId,
          status: 'HELD' as const,
          held_until: r.heldUntil.toISOString(),
          ttl_seconds: r.ttlSeconds,
          message: r.existing
            ? `You already hold this seat. Complete payment within ${minutes} minute${minutes === 1 ? '' : 's'}.`
            : `Seat reserved. Complete payment within ${minutes} minute${minutes === 1 ? '' : 's'}.`,
        },
      };
    },
  );

  app.post(
    '/pay',
    {
      preHandler: app.authenticate,
      schema: {
        tags,
        security,
        summary: 'Pay for a held seat with credits',
        description: docs.pay.description,
        body: PayBody,
        response: { 200: ok(Paid), ...docs.pay.errors },
      },
    },
    async (req) => {
      const paid = await payOrder(ctx, { actor: req.user!, orderId: req.body.order_id });
      return {
        success: true as const,
        data: {
          order_id: paid.orderId,
          seat_id: paid.seatId,
          status: 'CONFIRMED' as const,
          credits_charged: fromCents(paid.chargedCents),
          remaining_balance: fromCents(paid.spendableCents),
          message: 'Purchase confirmed! Your ticket is ready.',
        },
      };
    },
  );
};

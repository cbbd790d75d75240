import { requireOwnStaffId } from '../policy/access.js';
import { requireHallInScope, venuesOf } from '../domain/access/venue-scope.js';
import { ok } from '@ticketgate/protocol';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { verifyTicket } from '../domain/verification/verify-ticket.js';
import { DomainError } from '../domain/errors.js';
import { Verdict, VerifyBody, docs } from './schemas/verify.js';

/** Online verification for staff. */
export const verifyRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/verify',
    {
      preHandler: app.requireRole('staff'),
      schema: {
        tags: ['Verification'],
        security: [{ bearer: [] }],
        summary: 'Verify a ticket QR at an entrance (staff)',
        description: docs.description,
        body: VerifyBody,
        response: { 200: ok(Verdict), ...docs.errors },
      },
    },
    async (req) => {
      requireOwnStaffId(req.user!, req.body.staff_id);
      // Staff check tickets only at the halls of the venues they work for.
      await requireHallInScope(app.ctx.pool, await venuesOf(app.ctx.pool, req.user!), req.body.hall_id);
      const v = await verifyTicket(app.ctx, {
        staffUserId: req.user!.id,
        hallId: req.body.hall_id,
        text: req.body.qr_payload,
        direction: req.body.direction,
        zone: req.body.zone ?? null,
      });
      if (v.result === 'QR_INVALID') throw new DomainError('QR_INVALID', v.message);
      return {
        success: true as const,
        data: {
          result: v.result,
          message: v.message,
          ...(v.seat
            ? {
                seat_id: v.seat.id,
                event_id: v.seat.eventId,
                row_number: v.seat.rowLabel,
                seat_number: v.seat.seatNumber,
                owner_name: v.seat.ownerName,
              }
            : {}),
          ...(v.firstAdmission ? { first_scanned_at: v.firstAdmission.at.toISOString() } : {}),
          ...(v.correctHall ? { correct_hall: v.correctHall } : {}),
          ...(v.correctZone ? { correct_zone: v.correctZone } : {}),
        },
      };
    },
  );
};

import { requireTransferView } from '../policy/access.js';
import { venueFilter } from '../policy/venues.js';
import { venuesOf } from '../domain/access/venue-scope.js';
import { PageQuery, fromCents, ok, paginated, toCents } from '@ticketgate/protocol';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { cancelTransfer } from '../domain/transfers/cancel-transfer.js';
import { confirmTransfer } from '../domain/transfers/confirm-transfer.js';
import { failsWith, limitFailures, limitHook, limitsOf } from '../http/rate-limits.js';
import { disputeTransfer } from '../domain/transfers/dispute-transfer.js';
import { initiateTransfer } from '../domain/transfers/initiate-transfer.js';
import { listTransfers, transferDetails, type TransferDetails } from '../domain/transfers/list-transfers.js';
import { reverseTransfer, upholdTransfer } from '../domain/transfers/resolve-dispute.js';
import type { AuthUser } from '../plugins/auth.js';
import {
  Cancelled,
  ConfirmBody,
  Confirmed,
  DisputeBody,
  Disputed,
  InitiateBody,
  Initiated,
  ResolveBody,
  ReverseBody,
  Resolved,
  Reversed,
  Status,
  Transfer,
  TransferIdBody,
  docs,
} from './schemas/transfers.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function transferView(t: TransferDetails): z.infer<typeof Transfer> {
  return {
    transfer_id: t.id,
    status: t.status,
    seat_id: t.seat_id,
    event_id: t.event_id,
    event_name: t.event_name,
    row_number: t.row_label,
    seat_number: t.seat_number,
    seller_user_id: t.seller_id,
    buyer_user_id: t.buyer_id,
    initiated_by: t.initiated_by,
    credits_amount: fromCents(t.amount_cents),
    seller_verified: t.seller_verified_at !== null,
    buyer_verified: t.buyer_verified_at !== null,
    expires_at: t.expires_at.toISOString(),
    created_at: t.created_at.toISOString(),
    completed_at: iso(t.completed_at),
    closed_reason: t.closed_reason,
    dispute:
      t.disputed_at && t.disputed_by
        ? {
            reason: t.dispute_reason ?? '',
            disputed_by: t.disputed_by,
            disputed_at: t.disputed_at.toISOString(),
            frozen_credits: fromCents(t.frozen_cents),
          }
        : null,
    resolution: t.resolution,
    resolved_by: t.resolved_by,
    resolved_at: iso(t.resolved_at),
    credits_returned: t.returned_cents === null ? null : fromCents(t.returned_cents),
  };
}

const pagination = (page: number, perPage: number, total: number) => ({
  page,
  per_page: perPage,
  total,
  total_pages: Math.ceil(total / perPage),
});

const user = (req: FastifyRequest): AuthUser => req.user!;

/** Transfers, disputes, reversals and their listings. */
export const transferRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  const tags = ['Transfers'];
  const security = [{ bearer: [] }];
  const limits = limitsOf(ctx.config);
  const perAddress = limitHook(ctx.limiter, limits.address);

  app.post(
    '/transfer/initiate',
    {
      preHandler: app.authenticate,
      schema: {
        tags,
        security,
        summary: 'Start a ticket transfer (OTP to both parties)',
        description: docs.initiate.description,
        body: InitiateBody,
        response: {
          201: ok(Initiated).describe('Transfer created in PENDING_OTP; both parties were sent a code'),
          ...docs.initiate.errors,
        },
      },
    },
    async (req, reply) => {
      const t = await initiateTransfer(ctx, user(req).id, {
        seatId: req.body.seat_id,
        sellerId: req.body.seller_user_id,
        buyerId: req.body.buyer_user_id,
        amountCents: toCents(req.body.credits_amount),
      });
      return reply.status(201).send({
        success: true,
        data: {
          transfer_id: t.id,
          seat_id: t.seat_id,
          status: t.status,
          expires_at: t.expires_at.toISOString(),
          message: 'Transfer initiated. Both parties will receive an OTP for verification.',
        },
      });
    },
  );

  app.post(
    '/transfer/confirm',
    {
      onRequest: perAddress,
      preHandler: app.authenticate,
      schema: {
        tags,
        security,
        summary: 'Confirm a transfer with both OTPs: atomic swap of credits and ownership',
        description: docs.confirm.description,
        body: ConfirmBody,
        response: { 200: ok(Confirmed).describe('Transfer COMPLETED: credits and ownership swapped'), ...docs.confirm.errors },
      },
    },
    async (req, reply) => {
      const callerId = user(req).id;
      const t = await limitFailures(ctx.limiter, reply, limits.confirmFailures, callerId, failsWith('OTP_INVALID', 'OTP_MAX_RETRIES'), () =>
        confirmTransfer(ctx, callerId, { transferId: req.body.transfer_id, sellerOtp: req.body.seller_otp, buyerOtp: req.body.buyer_otp }),
      );
      return {
        success: true as const,
        data: {
          transfer_id: t.id,
          status: t.status,
          seat_id: t.seat_id,
          new_owner_user_id: t.buyer_id,
          credits_transferred: fromCents(t.amount_cents),
          message: 'Transfer complete. Ticket ownership updated.',
        },
      };
    },
  );

  app.post(
    '/transfer/cancel',
    {
      preHandler: app.authenticate,
      schema: {
        tags,
        security,
        summary: 'Cancel a pending transfer (seller)',
        description: docs.cancel.description,
        body: TransferIdBody,
        response: { 200: ok(Cancelled).describe('Transfer CANCELLED by its seller'), ...docs.cancel.errors },
      },
    },
    async (req) => {
      const t = await cancelTransfer(ctx, user(req).id, req.body.transfer_id);
      return {
        success: true as const,
        data: {
          transfer_id: t.id,
          status: t.status,
          closed_reason: t.closed_reason ?? 'SELLER_CANCELLED',
          message: 'Transfer cancelled. The ticket stays yours.',
        },
      };
    },
  );

  app.post(
    '/transfer/dispute',
    {
      preHandler: app.authenticate,
      schema: {
        tags,
        security,
        summary: 'Dispute a completed transfer (credits frozen)',
        description: docs.dispute.description,
        body: DisputeBody,
        response: { 200: ok(Disputed).describe('Transfer DISPUTED; credits frozen'), ...docs.dispute.errors },
      },
    },
    async (req) => {
      const t = await disputeTransfer(ctx, user(req).id, { transferId: req.body.transfer_id, reason: req.body.reason });
      return {
        success: true as const,
        data: {
          transfer_id: t.id,
          status: t.status,
          frozen_credits: fromCents(t.frozen_cents),
          message: 'Dispute recorded. Credits frozen pending investigation.',
        },
      };
    },
  );

  app.post(
    '/transfer/reverse',
    {
      preHandler: app.requireRole('admin'),
      schema: {
        tags,
        security,
        summary: 'Reverse a disputed transfer (admin)',
        description: docs.reverse.description,
        body: ReverseBody,
        response: { 200: ok(Reversed).describe('Transfer REVERSED: ownership and credits restored'), ...docs.reverse.errors },
      },
    },
    async (req) => {
      const t = await reverseTransfer(ctx, user(req), req.body.transfer_id, req.body.note);
      return {
        success: true as const,
        data: {
          transfer_id: t.id,
          status: t.status,
          seat_id: t.seat_id,
          restored_owner_user_id: t.seller_id,
          credits_returned: fromCents(t.returned_cents ?? 0),
          message: 'Transfer reversed. Ownership and credits restored.',
        },
      };
    },
  );

  app.post(
    '/transfer/resolve',
    {
      preHandler: app.requireRole('admin'),
      schema: {
        tags,
        security,
        summary: 'Uphold a disputed transfer (admin)',
        description: docs.resolve.description,
        body: ResolveBody,
        response: { 200: ok(Resolved).describe('Dispute resolved UPHELD; frozen credits released'), ...docs.resolve.errors },
      },
    },
    async (req) => {
      const t = await upholdTransfer(ctx, user(req), req.body.transfer_id, req.body.note);
      return {
        success: true as const,
        data: {
          transfer_id: t.id,
          status: t.status,
          resolution: 'UPHELD' as const,
          released_credits: fromCents(t.frozen_cents),
          message: 'Dispute resolved: the transfer stands and the frozen credits are released.',
        },
      };
    },
  );

  app.get(
    '/transfers',
    {
      preHandler: app.authenticate,
      schema: {
        tags,
        security,
        summary: "The caller's transfers (as seller or buyer)",
        description: docs.mine.description,
        querystring: PageQuery.extend({
          status: Status.optional(),
          role: z.enum(['seller', 'buyer']).optional().describe('Only transfers where the caller is on this side'),
        }),
        response: { 200: paginated(Transfer).describe("The caller's transfers, newest first"), ...docs.mine.errors },
      },
    },
    async (req) => {
      const { page, per_page, status, role } = req.query;
      const { items, total } = await listTransfers(ctx.pool, { partyId: user(req).id, role, status }, { page, perPage: per_page });
      return { success: true as const, data: items.map(transferView), pagination: pagination(page, per_page, total) };
    },
  );

  app.get(
    '/transfers/:transfer_id',
    {
      preHandler: app.authenticate,
      schema: {
        tags,
        security,
        summary: 'One transfer (parties or admin)',
        description: docs.one.description,
        params: z.object({ transfer_id: z.uuid() }),
        response: { 200: ok(Transfer).describe('The transfer'), ...docs.one.errors },
      },
    },
    async (req) => {
      const t = await transferDetails(ctx.pool, req.params.transfer_id);
      const caller = user(req);
      requireTransferView(caller, t);
      return { success: true as const, data: transferView(t) };
    },
  );

  app.get(
    '/ops/transfers',
    {
      preHandler: app.requireRole('operator'),
      schema: {
        tags,
        security,
        summary: "Transfers of the caller's venues (operator; admin: all)",
        description: docs.all.description,
        querystring: PageQuery.extend({
          status: Status.optional(),
          seat_id: z.uuid().optional(),
          user_id: z.uuid().optional().describe('Transfers where this user is seller or buyer'),
        }),
        response: { 200: paginated(Transfer).describe('Transfers, newest first'), ...docs.all.errors },
      },
    },
    async (req) => {
      const { page, per_page, status, seat_id, user_id } = req.query;
      // Operators read the transfers of their venues' events (to follow disputes); deciding them stays with admins.
      const venueIds = venueFilter(await venuesOf(ctx.pool, user(req)));
      const { items, total } = await listTransfers(
        ctx.pool,
        { partyId: user_id, status, seatId: seat_id, venueIds },
        { page, perPage: per_page },
      );
      return { success: true as const, data: items.map(transferView), pagination: pagination(page, per_page, total) };
    },
  );
};

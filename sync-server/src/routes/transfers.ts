import { MoneyAmount, PageQuery, fromCents, ok, paginated, toCents } from '@ticketgate/protocol';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { hasRole } from '../domain/auth/roles.js';
import { confirmTransfer } from '../domain/transfers/confirm-transfer.js';
import { disputeTransfer } from '../domain/transfers/dispute-transfer.js';
import { initiateTransfer } from '../domain/transfers/initiate-transfer.js';
import { listTransfers, transferDetails, type TransferDetails } from '../domain/transfers/list-transfers.js';
import '../domain/transfers/otp-context.js';
import { reverseTransfer, upholdTransfer } from '../domain/transfers/resolve-dispute.js';
import { TRANSFER_STATUSES, partyOf } from '../domain/transfers/transfer-record.js';
import { AppError } from '../http/app-error.js';
import { AUTH_ERRORS, documentErrors, type ErrorRows } from '../http/error-docs.js';
import type { AuthUser } from '../plugins/auth.js';

const Otp = z.string().regex(/^\d{6}$/, 'must be the 6-digit code from the SMS');
const Credits = z.number().describe('Credits in major units (350.00)');
const Timestamp = z.string().describe('ISO 8601, UTC');
const Status = z.enum(TRANSFER_STATUSES);

const InitiateBody = z.object({
  seat_id: z.uuid(),
  seller_user_id: z.uuid().describe('Current owner of the ticket'),
  buyer_user_id: z.uuid(),
  credits_amount: MoneyAmount.min(0).max(1_000_000).describe('Price the buyer pays the seller, in major units; 0 for a gift'),
});
const ConfirmBody = z.object({
  transfer_id: z.uuid(),
  seller_otp: Otp.optional().describe("The seller's code; omit once the seller verified it through /api/verify-otp"),
  buyer_otp: Otp.optional().describe("The buyer's code; omit once the buyer verified it through /api/verify-otp"),
});
const DisputeBody = z.object({ transfer_id: z.uuid(), reason: z.string().trim().min(1).max(1000) });
const TransferIdBody = z.object({ transfer_id: z.uuid() });
const ResolveBody = z.object({
  transfer_id: z.uuid(),
  resolution: z.literal('UPHELD').describe('The transfer stands; frozen credits are released (use /api/transfer/reverse to undo it)'),
});

const Initiated = z.object({ transfer_id: z.uuid(), seat_id: z.uuid(), status: Status, expires_at: Timestamp, message: z.string() });
const Confirmed = z.object({
  transfer_id: z.uuid(),
  status: Status,
  seat_id: z.uuid(),
  new_owner_user_id: z.uuid(),
  credits_transferred: Credits,
  message: z.string(),
});
const Disputed = z.object({
  transfer_id: z.uuid(),
  status: Status,
  frozen_credits: Credits.describe("Credits frozen in the seller's balance: the price, or what was left of it unspent"),
  message: z.string(),
});
const Reversed = z.object({
  transfer_id: z.uuid(),
  status: Status,
  seat_id: z.uuid(),
  restored_owner_user_id: z.uuid(),
  credits_returned: Credits,
  message: z.string(),
});
const Resolved = z.object({
  transfer_id: z.uuid(),
  status: Status,
  resolution: z.literal('UPHELD'),
  released_credits: Credits,
  message: z.string(),
});

const Transfer = z
  .object({
    transfer_id: z.uuid(),
    status: Status,
    seat_id: z.uuid(),
    event_id: z.uuid(),
    event_name: z.string(),
    row_number: z.string(),
    seat_number: z.number().int(),
    seller_user_id: z.uuid(),
    buyer_user_id: z.uuid(),
    initiated_by: z.uuid(),
    credits_amount: Credits,
    seller_verified: z.boolean(),
    buyer_verified: z.boolean(),
    expires_at: Timestamp,
    created_at: Timestamp,
    completed_at: Timestamp.nullable(),
    closed_reason: z.string().nullable().describe('Why a FAILED/CANCELLED transfer ended: OTP_MAX_RETRIES, OTP_EXPIRED, EXPIRED, SEAT_CHANGED'),
    dispute: z
      .object({ reason: z.string(), disputed_by: z.uuid(), disputed_at: Timestamp, frozen_credits: Credits })
      .nullable(),
    resolution: z.enum(['REVERSED', 'UPHELD']).nullable(),
    resolved_by: z.uuid().nullable(),
    resolved_at: Timestamp.nullable(),
    credits_returned: Credits.nullable().describe('REVERSED only: credits given back to the buyer'),
  })
  .meta({ id: 'Transfer' });

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
        ? { reason: t.dispute_reason ?? '', disputed_by: t.disputed_by, disputed_at: t.disputed_at.toISOString(), frozen_credits: fromCents(t.frozen_cents) }
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

const NOT_FOUND: ErrorRows = [['TRANSFER_NOT_FOUND', 'transfer_id does not exist']];
const OTP_ROWS: ErrorRows = [
  ['OTP_INVALID', 'Seller or buyer OTP does not match (the message says whose, and the attempts left)'],
  ['OTP_EXPIRED', 'A code is older than 5 minutes: the transfer is cancelled, initiate it again'],
  ['OTP_MAX_RETRIES', "A party's third wrong code: the transfer becomes FAILED"],
  ['OTP_REQUIRED', 'A party has neither given its code here nor verified it through /api/verify-otp'],
];

const docs = {
  initiate: documentErrors(
    'Either party starts a P2P transfer of a sold ticket (the token\'s user must be the seller or the buyer named in the body). ' +
      'Both parties receive an OTP by SMS; the transfer expires (CANCELLED) if not confirmed within the configured TTL (24 h by default).',
    [
      ...AUTH_ERRORS,
      ['VALIDATION_ERROR', 'Body failed validation (UUIDs, amount ≥ 0 with at most 2 decimals)'],
      ['FORBIDDEN', "The token's user is neither seller_user_id nor buyer_user_id"],
      ['SELF_TRANSFER', 'seller_user_id == buyer_user_id'],
      ['SEAT_NOT_FOUND', 'seat_id does not exist'],
      ['USER_NOT_FOUND', 'Seller or buyer does not exist'],
      ['SEAT_UNAVAILABLE', 'Seat is not SOLD (held, available or already checked in)'],
      ['NOT_SEAT_OWNER', 'seat.owner_user_id != seller_user_id'],
      ['EVENT_ENDED', 'The event has already taken place'],
      ['TRANSFER_IN_PROGRESS', 'A PENDING_OTP transfer already exists for this seat'],
      ['INSUFFICIENT_CREDITS', "Buyer's spendable credits < credits_amount"],
      ['RATE_LIMITED', 'Too many codes sent to one of the parties in the last minute'],
    ],
  ),
  confirm: documentErrors(
    'Seller or buyer completes the transfer with both OTPs (or after each party verified through /api/verify-otp with context transfer). ' +
      "One transaction moves the buyer's credits to the seller, gives the ticket to the buyer and bumps its generation: the seller's QR codes stop verifying.",
    [
      ...AUTH_ERRORS,
      ['VALIDATION_ERROR', 'Body failed validation (codes are 6 digits)'],
      ...NOT_FOUND,
      ['FORBIDDEN', 'Caller is neither seller nor buyer'],
      ...OTP_ROWS,
      ['TRANSFER_INVALID_STATE', 'Transfer is not PENDING_OTP (completed, failed, cancelled) or has expired (it is cancelled)'],
      ['SEAT_UNAVAILABLE', 'The seller no longer holds the ticket (checked in): the transfer is cancelled'],
      ['INSUFFICIENT_CREDITS', 'The buyer no longer has enough spendable credits (the transfer stays pending)'],
    ],
  ),
  dispute: documentErrors(
    "Seller or buyer flags a COMPLETED transfer. The credits the seller received are frozen in the seller's balance " +
      '(as much of them as is still unspent) until an admin reverses or upholds the transfer.',
    [
      ...AUTH_ERRORS,
      ['VALIDATION_ERROR', 'Body failed validation (reason 1–1000 characters)'],
      ...NOT_FOUND,
      ['FORBIDDEN', 'Caller is neither seller nor buyer'],
      ['TRANSFER_INVALID_STATE', 'Transfer is not COMPLETED, or its dispute was already resolved'],
    ],
  ),
  reverse: documentErrors(
    'Admin only. DISPUTED → REVERSED: the ticket goes back to the seller (new generation), the frozen credits are released and the price ' +
      '(or as much as the seller can still pay) goes back to the buyer. A pending onward transfer of the seat is cancelled.',
    [
      ...AUTH_ERRORS,
      ['VALIDATION_ERROR', 'Body failed validation'],
      ['FORBIDDEN', 'Caller is not an admin'],
      ...NOT_FOUND,
      ['TRANSFER_INVALID_STATE', 'Transfer is not DISPUTED'],
      ['SEAT_UNAVAILABLE', 'The buyer no longer holds the seat (checked in or changed hands since)'],
    ],
  ),
  resolve: documentErrors('Admin only. DISPUTED → COMPLETED with resolution UPHELD: the transfer stands, the frozen credits are released.', [
    ...AUTH_ERRORS,
    ['VALIDATION_ERROR', 'Body failed validation'],
    ['FORBIDDEN', 'Caller is not an admin'],
    ...NOT_FOUND,
    ['TRANSFER_INVALID_STATE', 'Transfer is not DISPUTED'],
  ]),
  mine: documentErrors("The caller's transfers as seller or buyer, newest first.", [
    ...AUTH_ERRORS,
    ['VALIDATION_ERROR', 'Bad query (page ≥ 1, 1 ≤ per_page ≤ 100, known status/role)'],
  ]),
  one: documentErrors('One transfer, for its seller, its buyer or an admin.', [
    ...AUTH_ERRORS,
    ['INVALID_UUID', 'transfer_id is not a UUID'],
    ['FORBIDDEN', 'Caller is neither party nor admin'],
    ...NOT_FOUND,
  ]),
  all: documentErrors('Admin only. Every transfer, newest first, optionally by status, seat or user (as either party).', [
    ...AUTH_ERRORS,
    ['VALIDATION_ERROR', 'Bad query'],
    ['FORBIDDEN', 'Caller is not an admin'],
  ]),
};

/** Transfers, disputes, reversals and their listings. */
export const transferRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  const tags = ['Transfers'];
  const security = [{ bearer: [] }];

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
        response: { 201: ok(Initiated).describe('Transfer created in PENDING_OTP; both parties were sent a code'), ...docs.initiate.errors },
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
    async (req) => {
      const t = await confirmTransfer(ctx, user(req).id, {
        transferId: req.body.transfer_id,
        sellerOtp: req.body.seller_otp,
        buyerOtp: req.body.buyer_otp,
      });
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
        body: TransferIdBody,
        response: { 200: ok(Reversed).describe('Transfer REVERSED: ownership and credits restored'), ...docs.reverse.errors },
      },
    },
    async (req) => {
      const t = await reverseTransfer(ctx, user(req).id, req.body.transfer_id);
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
      const t = await upholdTransfer(ctx, user(req).id, req.body.transfer_id);
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
      if (!partyOf(t, caller.id) && !hasRole(caller.role, 'admin')) {
        throw new AppError('FORBIDDEN', 'Only the parties of a transfer or an admin may see it.');
      }
      return { success: true as const, data: transferView(t) };
    },
  );

  app.get(
    '/ops/transfers',
    {
      preHandler: app.requireRole('admin'),
      schema: {
        tags,
        security,
        summary: 'All transfers (admin)',
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
      const { items, total } = await listTransfers(ctx.pool, { partyId: user_id, status, seatId: seat_id }, { page, perPage: per_page });
      return { success: true as const, data: items.map(transferView), pagination: pagination(page, per_page, total) };
    },
  );
};

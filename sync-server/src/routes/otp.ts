import { ok } from '@ticketgate/protocol';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { verifyOtpForContext } from '../domain/otp/contexts.js';
import { ownUserId } from '../policy/access.js';
import { AUTH_ERRORS, documentErrors } from '../http/error-docs.js';
import { failsWith, limitFailures, limitHook, limitsOf } from '../http/rate-limits.js';
import { Verified, VerifyOtpBody } from './schemas/otp.js';

/** POST /api/verify-otp: dispatched to the flow named by `context` (domain/otp/contexts.ts). */
export const otpRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  const limits = limitsOf(ctx.config);
  // Guessing is capped per challenge (3 tries), per account (failures, two tiers) and per address (generous).
  const docs = documentErrors(
    'Checks a one-time code sent by SMS (6 digits, stored hashed, valid 5 minutes, 3 attempts). ' +
      'purchase: the order may then be paid with /api/pay; the third wrong code cancels the order (FAILED) and releases the seat. ' +
      "transfer: marks the caller's party of the transfer as verified (see /api/transfer/confirm). " +
      `Limited to ${limits.address.max} requests a minute per client address, and to ${ctx.config.RATE_LIMIT_AUTH_PER_MINUTE} wrong codes a minute ` +
      `and ${ctx.config.RATE_LIMIT_AUTH_PER_HOUR} an hour per account.`,
    [
      ...AUTH_ERRORS,
      ['VALIDATION_ERROR', 'Body failed validation (6-digit code, known context, UUIDs)'],
      ['FORBIDDEN', "user_id is not the token's user"],
      ['ORDER_NOT_FOUND', 'purchase: no order of this user has this reference_id'],
      ['TRANSFER_NOT_FOUND', 'transfer: no transfer has this reference_id'],
      ['TRANSFER_INVALID_STATE', 'transfer: the transfer is no longer pending'],
      ['OTP_INVALID', 'The code does not match (the message says how many attempts are left), or no code was sent'],
      ['OTP_EXPIRED', 'The code is older than 5 minutes: request a new one (purchase: call /api/pay again)'],
      ['OTP_MAX_RETRIES', 'Third wrong code: the flow is cancelled and must be started again'],
      ['RATE_LIMITED', 'Too many requests from this address, or too many wrong codes from this account (Retry-After says how long)'],
    ],
  );

  app.post(
    '/verify-otp',
    {
      onRequest: limitHook(ctx.limiter, limits.address),
      preHandler: app.authenticate,
      schema: {
        tags: ['Purchase', 'Transfers'],
        security: [{ bearer: [] }],
        summary: 'Verify an OTP for a purchase or a transfer',
        description: docs.description,
        body: VerifyOtpBody,
        response: { 200: ok(Verified), ...docs.errors },
      },
    },
    async (req, reply) => {
      const userId = ownUserId(req.user!, req.body.user_id);
      await limitFailures(ctx.limiter, reply, limits.otpFailures, userId, failsWith('OTP_INVALID', 'OTP_MAX_RETRIES'), () =>
        verifyOtpForContext(ctx, req.body.context, { userId, referenceId: req.body.reference_id, code: req.body.otp_code }),
      );
      return { success: true as const, data: { verified: true as const, message: 'OTP verified. You may proceed.' } };
    },
  );
};

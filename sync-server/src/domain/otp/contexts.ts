import type { AppContext } from '../../context.js';
import { DomainError } from '../errors.js';
import type { OtpContext } from './otp-service.js';

/**
 * What POST /api/verify-otp does for one flow. Each flow (purchase, transfer)
 * owns its resumption and cancellation rules, so the route dispatches by
 * `context` and a new flow is one more entry of `ctx.otpFlows` (built in
 * context.ts) without touching the route or the other flows.
 */
export interface OtpContextHandler {
  /**
   * Checks `code` against the user's pending challenge for `referenceId` and
   * resumes or cancels the flow accordingly. Resolves when verified; throws a
   * DomainError (OTP_INVALID, OTP_EXPIRED, OTP_MAX_RETRIES, or the flow's own
   * not-found/state codes) otherwise, after any cancellation has committed.
   */
  verify(ctx: AppContext, input: { userId: string; referenceId: string; code: string }): Promise<void>;
}

/** One handler per flow; a missing one is a server that does not offer that flow. */
export type OtpFlows = Readonly<Partial<Record<OtpContext, OtpContextHandler>>>;

export async function verifyOtpForContext(
  ctx: AppContext,
  context: OtpContext,
  input: { userId: string; referenceId: string; code: string },
): Promise<void> {
  const handler = ctx.otpFlows[context];
  if (!handler) throw new DomainError('VALIDATION_ERROR', `OTP context "${context}" is not available on this server.`);
  await handler.verify(ctx, input);
}

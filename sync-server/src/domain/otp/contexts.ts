import type { AppContext } from '../../context.js';
import { AppError } from '../../http/app-error.js';
import type { OtpContext } from './otp-service.js';

/**
 * What POST /api/verify-otp does for one flow. Each flow (purchase, transfer)
 * owns its resumption and cancellation rules, so the route dispatches by
 * `context` and a new flow plugs in with `registerOtpContext` without touching
 * the route or the other flows.
 */
export interface OtpContextHandler {
  /**
   * Checks `code` against the user's pending challenge for `referenceId` and
   * resumes or cancels the flow accordingly. Resolves when verified; throws an
   * AppError (OTP_INVALID, OTP_EXPIRED, OTP_MAX_RETRIES, or the flow's own
   * not-found/state codes) otherwise, after any cancellation has committed.
   */
  verify(ctx: AppContext, input: { userId: string; referenceId: string; code: string }): Promise<void>;
}

const handlers = new Map<OtpContext, OtpContextHandler>();

/** Installs the handler of a flow; a later registration of the same context replaces it. */
export function registerOtpContext(context: OtpContext, handler: OtpContextHandler): void {
  handlers.set(context, handler);
}

export function otpContextHandler(context: OtpContext): OtpContextHandler | undefined {
  return handlers.get(context);
}

export async function verifyOtpForContext(
  ctx: AppContext,
  context: OtpContext,
  input: { userId: string; referenceId: string; code: string },
): Promise<void> {
  const handler = handlers.get(context);
  if (!handler) throw new AppError('VALIDATION_ERROR', `OTP context "${context}" is not available on this server.`);
  await handler.verify(ctx, input);
}

import type { AppContext } from '../../context.js';
import type { OtpDeps } from './otp-service.js';

/** The OTP service's dependencies from the app context (provider, pepper, send limit, clock). */
export function otpDeps(ctx: AppContext): OtpDeps {
  return { sms: ctx.sms, pepper: ctx.config.OTP_PEPPER, sendsPerMinute: ctx.config.RATE_LIMIT_OTP_PER_MINUTE, now: () => ctx.now() };
}

/** The end of an OTP_INVALID message: how many tries remain, when known. */
export function attemptsLeftSuffix(attemptsLeft: number | undefined): string {
  return attemptsLeft === undefined ? '' : ` (${attemptsLeft} attempt${attemptsLeft === 1 ? '' : 's'} left)`;
}

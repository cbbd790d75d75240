import type { AppContext } from '../../context.js';
import { findTransfer, requireParty, requireStatus } from './transfer-record.js';
import { refuseIfExpired, verifyPartyOtp } from './transfer-otp.js';

/**
 * /api/verify-otp with context "transfer": one party proves itself ahead of the
 * confirm, which then needs no code from that party. Same rules as a code given
 * to /api/transfer/confirm (third wrong code fails the transfer, expiry cancels it).
 */
export async function verifyTransferOtp(ctx: AppContext, input: { userId: string; referenceId: string; code: string }): Promise<void> {
  const t = await findTransfer(ctx.pool, input.referenceId);
  const party = requireParty(t, input.userId, 'verify a code for');
  requireStatus(t, 'PENDING_OTP', 'verify a code for');
  await refuseIfExpired(ctx, t);
  await verifyPartyOtp(ctx, t, party, input.code);
}

import { DomainError } from '../errors.js';
import type { Role } from './roles.js';
import type { SessionCheck } from './session-check.js';
import type { TokenSigner } from './tokens.js';

/** Long enough to open the stream right after asking; a stolen one is worthless a minute later. */
export const STREAM_TICKET_TTL_SECONDS = 60;

export interface StreamHolder {
  userId: string;
  role: Role;
  sessionId: string;
}

/** A ticket for the live stream, for the caller's own session (identity from the access token that asked). */
export async function issueStreamTicket(
  signer: TokenSigner,
  holder: StreamHolder,
  nowMs: number,
): Promise<{ ticket: string; expiresAt: Date }> {
  const t = await signer.sign({
    userId: holder.userId,
    role: holder.role,
    typ: 'stream',
    ttlSeconds: STREAM_TICKET_TTL_SECONDS,
    session: holder.sessionId,
    now: nowMs,
  });
  return { ticket: t.token, expiresAt: t.expiresAt };
}

/**
 * Who a ticket lets in: its signature, kind (an access or refresh token is not
 * a ticket, nor the reverse) and expiry checked, then its session, which must
 * still be open; the role is the user's current one, not the ticket's claim.
 */
export async function redeemStreamTicket(
  signer: TokenSigner,
  sessions: SessionCheck,
  ticket: string,
  nowMs: number,
): Promise<StreamHolder> {
  const claims = await signer.verify(ticket, 'stream', { now: nowMs });
  const session = claims.sid ? await sessions.active(claims.sid) : null;
  if (!session || session.userId !== claims.sub) throw new DomainError('UNAUTHORIZED', 'This session has ended. Log in again.');
  return { userId: session.userId, role: session.role, sessionId: session.sessionId };
}

import { CREDENTIAL_TTL_SECONDS, issueCredential } from '@ticketgate/crypto';
import type { AppContext } from '../../context.js';
import { DomainError } from '../errors.js';

export interface TicketQr {
  payload: string;
  generatedAt: Date;
  expiresAt: Date;
  ttlSeconds: number;
}

/**
 * A fresh credential for the owner's sold seat: the seat's current generation
 * (so codes shown before a transfer stop working), its event's gate key and the
 * active issuing key, stamped with the server clock. Valid for 60 seconds.
 */
export async function issueTicketQr(ctx: AppContext, input: { userId: string; seatId: string }): Promise<TicketQr> {
  const { rows } = await ctx.pool.query<{
    status: string;
    owner_user_id: string | null;
    held_by: string | null;
    event_id: string;
    hall_id: string;
    generation: number;
  }>(
    `SELECT s.status, s.owner_user_id, s.held_by, s.event_id, e.hall_id, s.generation
       FROM seats s JOIN events e ON e.id = s.event_id WHERE s.id = $1`,
    [input.seatId],
  );
  const seat = rows[0];
  if (!seat) throw new DomainError('SEAT_NOT_FOUND');
  if (seat.owner_user_id !== input.userId && seat.held_by !== input.userId) throw new DomainError('NOT_SEAT_OWNER');
  if (seat.status !== 'SOLD') {
    throw new DomainError(
      'SEAT_UNAVAILABLE',
      seat.status === 'CHECKED_IN'
        ? 'This ticket has already been used to enter.'
        : 'This seat is not paid for yet: complete the payment first.',
    );
  }
  const issuedAt = Math.floor(ctx.now() / 1000);
  const payload = issueCredential(
    { seatId: input.seatId, eventId: seat.event_id, hallCode: seat.hall_id, generation: seat.generation, issuedAt },
    { issuing: await ctx.keys.activeIssuingKey(), gate: await ctx.keys.gateKeyFor(seat.event_id) },
  );
  return {
    payload,
    generatedAt: new Date(issuedAt * 1000),
    expiresAt: new Date((issuedAt + CREDENTIAL_TTL_SECONDS) * 1000),
    ttlSeconds: CREDENTIAL_TTL_SECONDS,
  };
}

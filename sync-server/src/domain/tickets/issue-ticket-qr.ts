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
 * Not for a ticket bound to a phone: that phone makes its codes itself.
 */
export async function issueTicketQr(ctx: AppContext, input: { userId: string; seatId: string }): Promise<TicketQr> {
  const { rows } = await ctx.pool.query<{
    status: string;
    owner_user_id: string | null;
    held_by: string | null;
    event_id: string;
    hall_id: string;
    generation: number;
    device_bound: boolean;
  }>(
    `SELECT s.status, s.owner_user_id, s.held_by, s.event_id, e.hall_id, s.generation,
            EXISTS (SELECT 1 FROM device_bindings b
                     WHERE b.seat_id = s.id AND b.ended_at IS NULL AND b.user_id = s.owner_user_id AND b.generation = s.generation)
              AS device_bound
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
  // A phone holds this ticket (bind-device.ts): a 60-second code from the server would let any
  // logged-in browser show it, which is what binding is there to stop. Moving it is explicit.
  if (seat.device_bound) throw new DomainError('DEVICE_ALREADY_BOUND');
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

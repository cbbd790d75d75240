import type { AppContext } from '../../context.js';

export type CredentialCheck =
  | { valid: true; ticket: CheckedTicket }
  | { valid: false; reason: 'QR_INVALID' | 'EXPIRED' | 'NOT_FOUND' | 'UNPAID' | 'ALREADY_USED'; ticket?: CheckedTicket };

export interface CheckedTicket {
  seatId: string;
  eventId: string;
  eventName: string;
  venueId: string;
  ownerUserId: string | null;
}

/**
 * Checks a scanned ticket credential the way an entrance would (authentic,
 * fresh, current generation of a sold seat) without admitting it and without
 * writing to the entry log: Veritix' "validate" is a look, not a check-in. Only
 * TicketGate credentials can pass; any other text (Veritix' signed JSON
 * included) is QR_INVALID.
 */
export async function checkCredential(ctx: Pick<AppContext, 'keys' | 'pool' | 'now'>, text: string): Promise<CredentialCheck> {
  const outcome = await ctx.keys.verify(text, ctx.now());
  if (outcome.status === 'invalid') return { valid: false, reason: 'QR_INVALID' };
  const { claims } = outcome;
  const { rows } = await ctx.pool.query<{
    status: string;
    generation: number;
    owner_user_id: string | null;
    event_name: string;
    venue_id: string;
  }>(
    `SELECT s.status, s.generation, s.owner_user_id, e.name AS event_name, e.venue_id
       FROM seats s JOIN events e ON e.id = s.event_id
      WHERE s.id = $1 AND s.event_id = $2`,
    [claims.seatId, claims.eventId],
  );
  const seat = rows[0];
  if (!seat) return { valid: false, reason: 'NOT_FOUND' };
  const ticket: CheckedTicket = {
    seatId: claims.seatId,
    eventId: claims.eventId,
    eventName: seat.event_name,
    venueId: seat.venue_id,
    ownerUserId: seat.owner_user_id,
  };
  if (outcome.status !== 'valid') return { valid: false, reason: 'EXPIRED', ticket };
  if (claims.generation !== seat.generation) return { valid: false, reason: 'NOT_FOUND', ticket };
  if (seat.status === 'HELD') return { valid: false, reason: 'UNPAID', ticket };
  if (seat.status === 'AVAILABLE') return { valid: false, reason: 'NOT_FOUND', ticket };
  if (seat.status === 'CHECKED_IN') return { valid: false, reason: 'ALREADY_USED', ticket };
  return { valid: true, ticket };
}

/** The owner of a seat and its event, for QR requests made by a back-office service on a fan's behalf. */
export async function seatOwnerAndEvent(
  db: Pick<AppContext, 'pool'>['pool'],
  seatId: string,
): Promise<{ ownerUserId: string | null; eventId: string; eventName: string } | null> {
  const { rows } = await db.query<{ owner_user_id: string | null; event_id: string; name: string }>(
    'SELECT s.owner_user_id, s.event_id, e.name FROM seats s JOIN events e ON e.id = s.event_id WHERE s.id = $1',
    [seatId],
  );
  const r = rows[0];
  return r ? { ownerUserId: r.owner_user_id, eventId: r.event_id, eventName: r.name } : null;
}

import type { Client } from '../../db/pool.js';
import { DomainError } from '../errors.js';

/**
 * One account may hold at most `max` seats of one event at once, so a single
 * account cannot take an event off sale. Called inside the reserve transaction
 * before the new hold is written: the transaction-scoped advisory lock on
 * (user, event) makes concurrent reserves of one account for one event count
 * one after the other, so a burst cannot overshoot the cap. Holds that ran out
 * but were not swept yet do not count.
 */
export async function enforceHoldCap(db: Client, input: { userId: string; eventId: string; now: Date; max: number }): Promise<void> {
  await db.query(`SELECT pg_advisory_xact_lock(hashtextextended('hold-cap:' || $1 || ':' || $2, 0))`, [input.userId, input.eventId]);
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM orders
      WHERE user_id = $1 AND event_id = $2 AND status = 'PENDING' AND held_until > $3`,
    [input.userId, input.eventId, input.now],
  );
  if ((rows[0]?.n ?? 0) >= input.max) {
    throw new DomainError(
      'HOLD_LIMIT_REACHED',
      `You already hold ${rows[0]!.n} seats of this event, the most one account may hold at once (${input.max}). Pay for them or let a hold expire first.`,
    );
  }
}

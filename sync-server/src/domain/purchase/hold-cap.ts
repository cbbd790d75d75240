import { DomainError } from '../errors.js';

/**
 * One account may hold at most MAX_HOLDS_PER_USER seats of one event at once, so
 * a single account cannot take an event off sale. The count is taken inside the
 * reserve statement itself (reserve_seat, migration purchase_functions), before
 * the new hold is written, under a transaction-scoped advisory lock on (user,
 * event): concurrent reserves of one account for one event count one after the
 * other, so a burst cannot overshoot the cap. Holds that ran out but were not
 * swept yet do not count. This is the refusal it answers with.
 */
export function holdLimitReached(held: number, max: number): DomainError {
  return new DomainError(
    'HOLD_LIMIT_REACHED',
    `You already hold ${held} seats of this event, the most one account may hold at once (${max}). Pay for them or let a hold expire first.`,
  );
}

import type { AppContext } from '../../context.js';
import { DomainError } from '../errors.js';
import { hashClientAddress, recordPurchaseOrigin } from '../fraud/purchase-origin.js';
import { holdLimitReached } from './hold-cap.js';

export interface Reservation {
  orderId: string;
  seatId: string;
  heldUntil: Date;
  /** Whole seconds left on the hold at the time of the answer. */
  ttlSeconds: number;
  /** True when the user already held the seat and got their existing order back. */
  existing: boolean;
}

type ReserveOutcome =
  | 'HELD'
  | 'EXISTING'
  | 'USER_NOT_FOUND'
  | 'SEAT_NOT_FOUND'
  | 'EVENT_ENDED'
  | 'SEAT_ALREADY_SOLD'
  | 'SEAT_UNAVAILABLE'
  | 'HOLD_LIMIT_REACHED';

const LOCK_NOT_AVAILABLE = '55P03';
const UNIQUE_VIOLATION = '23505';
const IN_PROGRESS = 'Another reservation of this seat is in progress. Please select a different seat.';

/**
 * Places a hold of HOLD_TTL_SECONDS on a seat for a user and opens its PENDING
 * order: one statement, so one round trip and one transaction (the
 * reserve_seat function of migration purchase_functions holds the rules). The seat row is
 * locked with NOWAIT: a competing reservation in flight answers
 * SEAT_UNAVAILABLE at once instead of queueing (a pessimistic lock). A
 * hold that ran out but was not swept yet is treated as gone: its order expires
 * and the seat can be held again.
 */
export interface ReserveInput {
  userId: string;
  seatId: string;
  /** The client's address: kept hashed for the fraud rules (docs/security.md, "Fraud signals"). */
  clientAddress?: string;
}

export async function reserveSeat(ctx: AppContext, input: ReserveInput): Promise<Reservation> {
  const nowMs = ctx.now();
  const heldUntil = new Date(nowMs + ctx.config.HOLD_TTL_SECONDS * 1000);
  let row: { outcome: ReserveOutcome; order_id: string | null; held_until: Date | null; held: number | null };
  try {
    const { rows } = await ctx.pool.query<typeof row>({
      name: 'reserve_seat',
      text: 'SELECT outcome, order_id, held_until, held FROM reserve_seat($1, $2, $3, $4, $5)',
      values: [input.userId, input.seatId, new Date(nowMs), heldUntil, ctx.config.MAX_HOLDS_PER_USER],
    });
    row = rows[0]!;
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === LOCK_NOT_AVAILABLE || code === UNIQUE_VIOLATION) throw new DomainError('SEAT_UNAVAILABLE', IN_PROGRESS);
    throw err;
  }
  switch (row.outcome) {
    case 'HELD':
      // Fraud telemetry only (not a seat or order state): recorded after the hold, outside its one statement.
      if (input.clientAddress) {
        const addressHash = hashClientAddress(ctx.config.MASTER_KEY, input.clientAddress);
        await recordPurchaseOrigin(ctx.pool, { orderId: row.order_id!, userId: input.userId, addressHash, at: new Date(nowMs) });
      }
      return reservation(row.order_id!, input.seatId, row.held_until!, nowMs, false);
    case 'EXISTING':
      return reservation(row.order_id!, input.seatId, row.held_until!, nowMs, true);
    case 'HOLD_LIMIT_REACHED':
      throw holdLimitReached(row.held!, ctx.config.MAX_HOLDS_PER_USER);
    default:
      throw new DomainError(row.outcome);
  }
}

function reservation(orderId: string, seatId: string, heldUntil: Date, nowMs: number, existing: boolean): Reservation {
  return { orderId, seatId, heldUntil, ttlSeconds: Math.max(0, Math.ceil((heldUntil.getTime() - nowMs) / 1000)), existing };
}

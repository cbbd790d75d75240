import type { Queryable } from '../../db/pool.js';

export interface TransferableSeat {
  id: string;
  event_id: string;
  status: 'AVAILABLE' | 'HELD' | 'SOLD' | 'CHECKED_IN';
  owner_user_id: string | null;
  generation: number;
  row_label: string;
  seat_number: number;
  event_name: string;
  event_date: Date;
}

/**
 * Locks the seat row (second step of the lock order) and reads what a transfer
 * needs of it. SHARE keeps the seat unchanged without queueing other readers.
 */
export async function lockSeat(db: Queryable, seatId: string, mode: 'UPDATE' | 'SHARE' = 'UPDATE'): Promise<TransferableSeat | null> {
  const { rows } = await db.query<TransferableSeat>(
    `SELECT s.id, s.event_id, s.status, s.owner_user_id, s.generation, s.row_label, s.seat_number,
            e.name AS event_name, e.event_date
       FROM seats s JOIN events e ON e.id = s.event_id
      WHERE s.id = $1
        FOR ${mode} OF s`,
    [seatId],
  );
  return rows[0] ?? null;
}

/** A ticket can change hands only while sold and not yet used, and only from its holder. */
export function isHeldBy(seat: TransferableSeat, userId: string): boolean {
  return seat.status === 'SOLD' && seat.owner_user_id === userId;
}

/**
 * Gives the ticket to a new holder and bumps its generation, so every QR code
 * issued to the previous holder stops verifying: online at once, and at gates
 * after their next sync (the seat trigger bumps the event's change sequence).
 */
export async function handOverSeat(db: Queryable, seatId: string, from: string, to: string): Promise<number> {
  const { rows } = await db.query<{ generation: number }>(
    `UPDATE seats SET owner_user_id = $3, generation = generation + 1
      WHERE id = $1 AND status = 'SOLD' AND owner_user_id = $2
      RETURNING generation`,
    [seatId, from, to],
  );
  if (!rows[0]) throw new Error(`seat ${seatId} is not held by ${from}; lock the seat and check before handing it over`);
  return rows[0].generation;
}

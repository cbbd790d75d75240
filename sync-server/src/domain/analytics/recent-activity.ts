import type { ScanResult } from '@ticketgate/protocol';
import type { Queryable } from '../../db/pool.js';
import { eventHall } from '../sync/hall-events.js';
import { COUNTED_TRANSFER_STATUSES, INVALID_SCAN_RESULTS } from './counted-states.js';

export interface RecentScan {
  seatId: string | null;
  scannedAt: Date;
  result: ScanResult;
  /** Only the canonical admission is valid: a conflict let a second person in on the same ticket. */
  isValid: boolean;
  isConflict: boolean;
}

export interface RecentTransfer {
  seatId: string;
  fromUser: string;
  toUser: string;
  transferredAt: Date;
  status: (typeof COUNTED_TRANSFER_STATUSES)[number];
}

export interface InvalidAttempt {
  seatId: string | null;
  attemptedAt: Date;
  result: (typeof INVALID_SCAN_RESULTS)[number];
  reason: string | null;
}

/** Newest scans of an event, every verdict; EVENT_NOT_FOUND if there is no such event. */
export async function recentScans(db: Queryable, eventId: string, limit: number): Promise<RecentScan[]> {
  await eventHall(db, eventId);
  const { rows } = await db.query<{ seat_id: string | null; scanned_at: Date; result: ScanResult; is_conflict: boolean }>(
    `SELECT seat_id, scanned_at, result, is_conflict FROM scans
      WHERE event_id = $1 ORDER BY scanned_at DESC, id DESC LIMIT $2`,
    [eventId, limit],
  );
  return rows.map((r) => ({
    seatId: r.seat_id,
    scannedAt: r.scanned_at,
    result: r.result,
    isValid: r.result === 'SUCCESS' && !r.is_conflict,
    isConflict: r.is_conflict,
  }));
}

/** Newest transfers of an event's seats that completed (including later disputed or reversed ones). */
export async function recentTransfers(db: Queryable, eventId: string, limit: number): Promise<RecentTransfer[]> {
  await eventHall(db, eventId);
  const { rows } = await db.query<{
    seat_id: string;
    seller_id: string;
    buyer_id: string;
    completed_at: Date;
    status: RecentTransfer['status'];
  }>(
    `SELECT t.seat_id, t.seller_id, t.buyer_id, COALESCE(t.completed_at, t.updated_at) AS completed_at, t.status
       FROM transfers t JOIN seats s ON s.id = t.seat_id
      WHERE s.event_id = $1 AND t.status = ANY($2::text[])
      ORDER BY 4 DESC, t.id DESC LIMIT $3`,
    [eventId, COUNTED_TRANSFER_STATUSES, limit],
  );
  return rows.map((r) => ({
    seatId: r.seat_id,
    fromUser: r.seller_id,
    toUser: r.buyer_id,
    transferredAt: r.completed_at,
    status: r.status,
  }));
}

/** Newest rejected scans of an event (verdicts in INVALID_SCAN_RESULTS), with the verdict and the recorded detail. */
export async function invalidAttempts(db: Queryable, eventId: string, limit: number): Promise<InvalidAttempt[]> {
  await eventHall(db, eventId);
  const { rows } = await db.query<{ seat_id: string | null; scanned_at: Date; result: InvalidAttempt['result']; reason: string | null }>(
    `SELECT seat_id, scanned_at, result, reason FROM scans
      WHERE event_id = $1 AND result = ANY($2::text[])
      ORDER BY scanned_at DESC, id DESC LIMIT $3`,
    [eventId, INVALID_SCAN_RESULTS, limit],
  );
  return rows.map((r) => ({ seatId: r.seat_id, attemptedAt: r.scanned_at, result: r.result, reason: r.reason }));
}

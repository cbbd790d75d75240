import { createHmac } from 'node:crypto';
import type { Queryable } from '../../db/pool.js';

/**
 * The client address of a purchase as the fraud rules keep it: an HMAC keyed
 * from MASTER_KEY, cut to 128 bits. Equal addresses give equal hashes (what the
 * "many purchases from one address" rule needs); the address itself cannot be
 * read back, nor found by hashing candidate addresses without the key.
 */
export function hashClientAddress(masterKey: string, address: string): string {
  return createHmac('sha256', `purchase-origin:${masterKey}`).update(address.trim().toLowerCase()).digest('hex').slice(0, 32);
}

export async function recordPurchaseOrigin(
  db: Queryable,
  o: { orderId: string; userId: string; addressHash: string; at: Date },
): Promise<void> {
  await db.query(
    'INSERT INTO purchase_origins (order_id, user_id, address_hash, recorded_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
    [o.orderId, o.userId, o.addressHash, o.at],
  );
}

/** Retention: origins older than `days` are deleted (run by the fraud job). */
export async function pruneOrigins(db: Queryable, now: Date, days: number): Promise<number> {
  const { rowCount } = await db.query(`DELETE FROM purchase_origins WHERE recorded_at < $1::timestamptz - make_interval(days => $2)`, [
    now,
    days,
  ]);
  return rowCount ?? 0;
}

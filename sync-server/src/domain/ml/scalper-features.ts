import type { Queryable } from '../../db/pool.js';

/** The six inputs of the Veritix scalper model, in its order. */
export const SCALPER_FEATURES = [
  'tickets_per_txn',
  'txns_per_min',
  'avg_price_ratio',
  'account_age_days',
  'zip_mismatch',
  'device_changes',
] as const;
export type FeatureVector = [number, number, number, number, number, number];

/** A purchase "transaction": a user's confirmed orders of one event within the same 5 minutes (TicketGate sells one seat per order). */
const TXN_WINDOW_SECONDS = 300;
const DEVICE_WINDOW_DAYS = 30;

/**
 * The features of each user, computed from our rows:
 * - tickets_per_txn: seats per transaction (orders of one event within 5 minutes), averaged;
 * - txns_per_min: the most orders confirmed in any one minute;
 * - avg_price_ratio: price paid over the event's average category price, averaged (scalpers take the dearest seats);
 * - account_age_days: days from account creation to the first purchase (to now without purchases);
 * - zip_mismatch: not observable (TicketGate keeps no billing addresses): always 0, so the model cannot use it;
 * - device_changes: sign-ins (new sessions) in the 30 days up to the last purchase, minus one.
 */
export async function scalperFeatures(db: Queryable, userIds: string[], now: number): Promise<Map<string, FeatureVector>> {
  const { rows } = await db.query<{ id: string; f: number[] }>(
    `WITH o AS (
       SELECT o.user_id, o.event_id, o.confirmed_at,
              o.amount_cents / nullif((SELECT avg(price_cents) FROM event_categories c WHERE c.event_id = o.event_id), 0) AS price_ratio
         FROM orders o WHERE o.status = 'CONFIRMED' AND o.user_id = ANY($1)
     ),
     txn AS (SELECT user_id, count(*) AS n FROM o GROUP BY user_id, event_id, floor(extract(epoch FROM confirmed_at) / ${TXN_WINDOW_SECONDS})),
     per_minute AS (SELECT user_id, count(*) AS n FROM o GROUP BY user_id, date_trunc('minute', confirmed_at)),
     span AS (SELECT user_id, min(confirmed_at) AS first_at, max(confirmed_at) AS last_at, avg(price_ratio) AS price_ratio FROM o GROUP BY user_id)
     SELECT u.id, ARRAY[
              coalesce((SELECT avg(n) FROM txn WHERE txn.user_id = u.id), 0),
              coalesce((SELECT max(n) FROM per_minute p WHERE p.user_id = u.id), 0),
              coalesce(s.price_ratio, 1),
              greatest(0, extract(epoch FROM coalesce(s.first_at, $2) - u.created_at) / 86400),
              0,
              greatest(0, (SELECT count(DISTINCT r.family_id) FROM refresh_tokens r
                            WHERE r.user_id = u.id AND r.created_at <= coalesce(s.last_at, $2)
                              AND r.created_at > coalesce(s.last_at, $2) - interval '${DEVICE_WINDOW_DAYS} days') - 1)
            ]::float8[] AS f
       FROM users u LEFT JOIN span s ON s.user_id = u.id
      WHERE u.id = ANY($1)`,
    [userIds, new Date(now)],
  );
  return new Map(rows.map((r) => [r.id, r.f as FeatureVector]));
}

/** Users with an operator decision on a fraud flag: 1 when any flag of theirs was confirmed, 0 when all were dismissed. */
export async function decidedLabels(db: Queryable): Promise<Map<string, 0 | 1>> {
  const { rows } = await db.query<{ user_id: string; scalper: boolean }>(
    `SELECT user_id, bool_or(status = 'CONFIRMED') AS scalper FROM fraud_flags
      WHERE user_id IS NOT NULL AND status <> 'OPEN' GROUP BY user_id`,
  );
  return new Map(rows.map((r) => [r.user_id, r.scalper ? 1 : 0]));
}

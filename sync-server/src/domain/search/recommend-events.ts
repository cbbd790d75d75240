import type { Queryable } from '../../db/pool.js';

export const RECOMMENDATIONS = 3;

export interface RecommendOptions {
  now: number;
  /** Leave-one-out evaluation: act as if the user had never bought this event. */
  hiddenEventId?: string;
  /** Evaluation baseline: popularity only, no collaborative filtering. */
  popularityOnly?: boolean;
}

// Who took part in which event: confirmed purchases and completed transfers (the buyer's side).
// `$1` is the user, `$3` the hidden event (leave-one-out), which is removed for that user only.
const VISIBLE = `
  interactions AS (
    SELECT user_id, event_id FROM orders WHERE status = 'CONFIRMED'
    UNION
    SELECT t.buyer_id, s.event_id FROM transfers t JOIN seats s ON s.id = t.seat_id WHERE t.status = 'COMPLETED'
  ),
  visible AS (SELECT user_id, event_id FROM interactions WHERE NOT (user_id = $1 AND event_id IS NOT DISTINCT FROM $3::uuid)),
  mine AS (SELECT event_id FROM visible WHERE user_id = $1),
  -- Never recommended: past events, events the user took part in or holds a seat of.
  candidates AS (
    SELECT e.id FROM events e
     WHERE e.event_date > $2
       AND e.id NOT IN (SELECT event_id FROM mine)
       AND e.id NOT IN (SELECT s.event_id FROM seats s WHERE (s.owner_user_id = $1 OR s.held_by = $1)
                           AND s.event_id IS DISTINCT FROM $3::uuid)
  ),
  popularity AS (SELECT event_id, count(*)::float8 AS n FROM visible GROUP BY event_id)`;

/**
 * Up to three upcoming events for a user. Item-to-item collaborative
 * filtering: each candidate scores the sum, over the user's events, of the
 * cosine similarity of the two events' audiences (|both| / sqrt(|a|·|b|)).
 * Slots CF cannot fill (new users, niche tastes) go to the most popular
 * candidates. All in one SQL statement.
 */
export async function recommendEvents(db: Queryable, userId: string, opts: RecommendOptions): Promise<string[]> {
  const cf = opts.popularityOnly
    ? `SELECT NULL::uuid AS event_id, 0::float8 AS score WHERE false`
    : `SELECT b.event_id, sum(1.0 / sqrt(pa.n * pb.n)) AS score
         FROM visible a
         JOIN visible b ON b.user_id = a.user_id AND b.event_id <> a.event_id
         JOIN popularity pa ON pa.event_id = a.event_id
         JOIN popularity pb ON pb.event_id = b.event_id
        WHERE a.event_id IN (SELECT event_id FROM mine) AND a.user_id <> $1
          AND b.event_id IN (SELECT id FROM candidates)
        GROUP BY b.event_id`;
  const { rows } = await db.query<{ id: string }>(
    `WITH ${VISIBLE},
     cf AS (${cf})
     SELECT c.id FROM candidates c
       LEFT JOIN cf ON cf.event_id = c.id
       LEFT JOIN popularity p ON p.event_id = c.id
      ORDER BY (cf.score IS NULL), cf.score DESC, p.n DESC NULLS LAST, c.id
      LIMIT ${RECOMMENDATIONS}`,
    [userId, new Date(opts.now), opts.hiddenEventId ?? null],
  );
  return rows.map((r) => r.id);
}

export interface HitRates {
  users: number;
  collaborative: number;
  popularity: number;
}

/**
 * Leave-one-out hit rate at 3: for every user with at least two upcoming
 * events, hide their latest one and count how often it comes back among the
 * three recommendations, for the recommender and for popularity alone.
 */
export async function leaveOneOutHitRate(db: Queryable, now: number): Promise<HitRates> {
  const { rows } = await db.query<{ user_id: string; hidden: string }>(
    `SELECT user_id, (array_agg(event_id ORDER BY last_at DESC, event_id))[1] AS hidden
       FROM (SELECT o.user_id, o.event_id, max(o.confirmed_at) AS last_at
               FROM orders o JOIN events e ON e.id = o.event_id
              WHERE o.status = 'CONFIRMED' AND e.event_date > $1
              GROUP BY o.user_id, o.event_id) per_event
      GROUP BY user_id HAVING count(*) >= 2`,
    [new Date(now)],
  );
  let cf = 0;
  let pop = 0;
  for (const r of rows) {
    const [withCf, popular] = await Promise.all([
      recommendEvents(db, r.user_id, { now, hiddenEventId: r.hidden }),
      recommendEvents(db, r.user_id, { now, hiddenEventId: r.hidden, popularityOnly: true }),
    ]);
    if (withCf.includes(r.hidden)) cf++;
    if (popular.includes(r.hidden)) pop++;
  }
  const n = rows.length;
  return { users: n, collaborative: n ? cf / n : 0, popularity: n ? pop / n : 0 };
}

export async function userExists(db: Queryable, userId: string): Promise<boolean> {
  return ((await db.query('SELECT 1 FROM users WHERE id = $1', [userId])).rowCount ?? 0) > 0;
}

import { withTransaction, type Pool, type Queryable } from '../../db/pool.js';
import { DomainError } from '../errors.js';

export type FlagStatus = 'OPEN' | 'CONFIRMED' | 'DISMISSED';

/** One rule hit: `subject` says what it is about, unique per rule (a hit is recorded once, whoever finds it again). */
export interface FlagHit {
  rule: string;
  subject: string;
  userId: string | null;
  details: Record<string, unknown>;
}

export interface FraudFlag extends FlagHit {
  id: string;
  status: FlagStatus;
  detectedAt: Date;
  decidedBy: string | null;
  decidedAt: Date | null;
}

interface FlagRow {
  id: string;
  rule: string;
  subject: string;
  user_id: string | null;
  details: Record<string, unknown>;
  status: FlagStatus;
  detected_at: Date;
  decided_by: string | null;
  decided_at: Date | null;
}

const toFlag = (r: FlagRow): FraudFlag => ({
  id: r.id,
  rule: r.rule,
  subject: r.subject,
  userId: r.user_id,
  details: r.details,
  status: r.status,
  detectedAt: r.detected_at,
  decidedBy: r.decided_by,
  decidedAt: r.decided_at,
});

/** Records hits not recorded before; returns the new ones only. */
export async function recordFlags(db: Queryable, hits: FlagHit[], at: Date): Promise<FlagHit[]> {
  if (hits.length === 0) return [];
  const { rows } = await db.query<{ rule: string; subject: string; user_id: string | null; details: Record<string, unknown> }>(
    `INSERT INTO fraud_flags (rule, subject, user_id, details, detected_at)
     SELECT * , $5::timestamptz FROM unnest($1::text[], $2::text[], $3::uuid[], $4::jsonb[])
     ON CONFLICT (rule, subject) DO NOTHING
     RETURNING rule, subject, user_id, details`,
    [hits.map((h) => h.rule), hits.map((h) => h.subject), hits.map((h) => h.userId), hits.map((h) => JSON.stringify(h.details)), at],
  );
  return rows.map((r) => ({ rule: r.rule, subject: r.subject, userId: r.user_id, details: r.details }));
}

/**
 * Whether flag `f` concerns one of the venues in `$n` (a uuid[]; NULL: every venue, for admins and services):
 * the venue of the event it names (bulk allocation), of the ticket it names (repeated transfers, impossible
 * travel), and for an account-level flag (purchase bursts, daily volume) every venue the account bought at.
 */
const flagInVenues = (param: string) => `(${param}::uuid[] IS NULL OR EXISTS (
  SELECT 1 FROM events fe
   WHERE fe.venue_id = ANY (${param}::uuid[])
     AND (fe.id::text = f.details->>'event_id'
          OR fe.id = (SELECT fs.event_id FROM seats fs WHERE fs.id::text = f.details->>'seat_id')
          OR (f.details->>'event_id' IS NULL AND f.details->>'seat_id' IS NULL
              AND fe.id IN (SELECT fo.event_id FROM orders fo WHERE fo.user_id = f.user_id AND fo.status = 'CONFIRMED')))))`;

/** Newest first; `venueIds` (null: all) keeps the flags of those venues only. */
export async function listFlags(
  db: Queryable,
  q: { status?: FlagStatus; limit: number; venueIds?: string[] | null },
): Promise<FraudFlag[]> {
  const { rows } = await db.query<FlagRow>(
    `SELECT id, rule, subject, user_id, details, status, detected_at, decided_by, decided_at FROM fraud_flags f
      WHERE ($1::text IS NULL OR status = $1) AND ${flagInVenues('$3')} ORDER BY detected_at DESC, id LIMIT $2`,
    [q.status ?? null, q.limit, q.venueIds ?? null],
  );
  return rows.map(toFlag);
}

/**
 * An operator's decision on an open flag. Confirming marks the account
 * flagged (its payments then need an OTP), in the same transaction; a decided
 * flag stays decided (CONFLICT), so two operators cannot both decide it.
 */
export async function decideFlag(
  pool: Pool,
  input: { flagId: string; decision: 'confirm' | 'dismiss'; operatorId: string; at: Date; venueIds: string[] | null },
): Promise<FraudFlag> {
  return withTransaction(pool, async (db) => {
    const { rows } = await db.query<FlagRow & { in_scope: boolean }>(
      `SELECT f.*, ${flagInVenues('$2')} AS in_scope FROM fraud_flags f WHERE id = $1 FOR UPDATE`,
      [input.flagId, input.venueIds],
    );
    const flag = rows[0];
    if (!flag) throw new DomainError('FLAG_NOT_FOUND');
    // An operator decides only the flags of their venues (a confirmation marks the account, platform-wide).
    if (!flag.in_scope) throw new DomainError('FORBIDDEN', 'This flag concerns a venue you are not assigned to.');
    if (flag.status !== 'OPEN') throw new DomainError('CONFLICT', `This flag was already ${flag.status.toLowerCase()}.`);
    const status: FlagStatus = input.decision === 'confirm' ? 'CONFIRMED' : 'DISMISSED';
    const updated = await db.query<FlagRow>(
      'UPDATE fraud_flags SET status = $2, decided_by = $3, decided_at = $4 WHERE id = $1 RETURNING *',
      [flag.id, status, input.operatorId, input.at],
    );
    if (status === 'CONFIRMED' && flag.user_id) await db.query('UPDATE users SET is_flagged = true WHERE id = $1', [flag.user_id]);
    return toFlag(updated.rows[0]!);
  });
}

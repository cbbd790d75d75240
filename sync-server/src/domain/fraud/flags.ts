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

export async function listFlags(db: Queryable, q: { status?: FlagStatus; limit: number }): Promise<FraudFlag[]> {
  const { rows } = await db.query<FlagRow>(
    `SELECT id, rule, subject, user_id, details, status, detected_at, decided_by, decided_at FROM fraud_flags
      WHERE $1::text IS NULL OR status = $1 ORDER BY detected_at DESC, id LIMIT $2`,
    [q.status ?? null, q.limit],
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
  input: { flagId: string; decision: 'confirm' | 'dismiss'; operatorId: string; at: Date },
): Promise<FraudFlag> {
  return withTransaction(pool, async (db) => {
    const { rows } = await db.query<FlagRow>('SELECT * FROM fraud_flags WHERE id = $1 FOR UPDATE', [input.flagId]);
    const flag = rows[0];
    if (!flag) throw new DomainError('FLAG_NOT_FOUND');
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

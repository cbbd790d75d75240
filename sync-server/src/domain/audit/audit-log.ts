import type { Queryable } from '../../db/pool.js';

/**
 * The audit trail of privileged actions (docs/security.md). `recordAudit` is
 * called with the client of the action's own transaction, so an action and its
 * audit row commit or roll back together; the table refuses UPDATE, DELETE and
 * TRUNCATE (triggers of its migration, `*_venue_scope_audit_keys.sql`).
 */
export const AUDIT_ACTIONS = [
  'transfer.reverse',
  'transfer.uphold',
  'device.revoke',
  'key.rotate_issuing',
  'key.rotate_gate',
  'venue_assignment.add',
  'venue_assignment.remove',
  'user.role_change',
  'outbox.read',
  'admission_policy.set',
  'ticket.device_bind',
  'ticket.device_rebind',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntry {
  /** The user who acted; null for the server itself (a scheduled rotation). */
  actor: { id: string; role: string } | null;
  action: AuditAction;
  targetType: string;
  targetId?: string | null;
  details?: Record<string, unknown>;
}

export interface AuditRecord {
  id: number;
  at: Date;
  actorId: string | null;
  actorRole: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  details: Record<string, unknown>;
}

export async function recordAudit(client: Queryable, entry: AuditEntry): Promise<void> {
  await client.query(
    `INSERT INTO audit_log (actor_id, actor_role, action, target_type, target_id, details) VALUES ($1, $2, $3, $4, $5, $6)`,
    [
      entry.actor?.id ?? null,
      entry.actor?.role ?? null,
      entry.action,
      entry.targetType,
      entry.targetId ?? null,
      JSON.stringify(entry.details ?? {}),
    ],
  );
}

export interface AuditFilter {
  action?: string | undefined;
  actorId?: string | undefined;
  targetType?: string | undefined;
  targetId?: string | undefined;
  since?: Date | undefined;
  until?: Date | undefined;
  page: number;
  perPage: number;
}

/** Newest first, filtered; every filter is optional. */
export async function listAudit(db: Queryable, f: AuditFilter): Promise<{ items: AuditRecord[]; total: number }> {
  const where = `($1::text IS NULL OR action = $1) AND ($2::uuid IS NULL OR actor_id = $2) AND ($3::text IS NULL OR target_type = $3)
    AND ($4::text IS NULL OR target_id = $4) AND ($5::timestamptz IS NULL OR at >= $5) AND ($6::timestamptz IS NULL OR at < $6)`;
  const params = [f.action ?? null, f.actorId ?? null, f.targetType ?? null, f.targetId ?? null, f.since ?? null, f.until ?? null];
  const [{ rows }, count] = await Promise.all([
    db.query<{
      id: string;
      at: Date;
      actor_id: string | null;
      actor_role: string | null;
      action: string;
      target_type: string;
      target_id: string | null;
      details: Record<string, unknown>;
    }>(
      `SELECT id, at, actor_id, actor_role, action, target_type, target_id, details FROM audit_log WHERE ${where}
        ORDER BY at DESC, id DESC LIMIT $7 OFFSET $8`,
      [...params, f.perPage, (f.page - 1) * f.perPage],
    ),
    db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE ${where}`, params),
  ]);
  return {
    total: count.rows[0]!.n,
    items: rows.map((r) => ({
      id: Number(r.id),
      at: r.at,
      actorId: r.actor_id,
      actorRole: r.actor_role,
      action: r.action,
      targetType: r.target_type,
      targetId: r.target_id,
      details: r.details,
    })),
  };
}

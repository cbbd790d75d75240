import type { AppContext } from '../../context.js';
import { withTransaction, type Queryable } from '../../db/pool.js';
import type { BackgroundJob } from '../../jobs.js';
import { recordAudit, type AuditEntry } from '../audit/audit-log.js';
import { DomainError } from '../errors.js';
import { notifyKeysChanged } from '../live/notices.js';

type Deps = Pick<AppContext, 'pool' | 'keys'>;
type Actor = AuditEntry['actor'];

export interface Rotation {
  kind: 'issuing' | 'gate';
  eventId: string | null;
  /** The key retired by this rotation (null when there was none yet). */
  retiredKid: string | null;
  newKid: string;
  /** Until when the retired key still verifies. */
  retiredValidUntil: Date | null;
}

/**
 * Rotation: in one transaction the active key is retired (it keeps verifying
 * for the overlap), a new one becomes active, the audit row is written and a
 * NOTIFY tells every instance to drop its cached keys and every gate concerned
 * to re-pull its manifest. Rotations of the same key are serialised by the row
 * lock on the retiring UPDATE and the one-active-key unique index.
 */
type Target = { kind: 'issuing' } | { kind: 'gate'; eventId: string; hallId: string };

/**
 * `olderThanHours` (the schedule): rotate only if the active key is still that
 * old once the lock is held, so instances running the schedule together rotate once.
 */
async function rotate(ctx: Deps, actor: Actor, what: Target, reason: string, olderThanHours?: number): Promise<Rotation | undefined> {
  const rotation = await withTransaction(ctx.pool, async (db) => {
    const lockKey = what.kind === 'issuing' ? 'keys:issuing' : `keys:gate:${what.eventId}`;
    await db.query('SELECT pg_advisory_xact_lock(hashtext($1))', [lockKey]);
    const age = `($1::float8 IS NULL OR created_at < now() - $1::float8 * interval '1 hour')`;
    const retired =
      what.kind === 'issuing'
        ? await db.query<{ kid: string; retired_at: Date }>(
            `UPDATE issuing_keys SET retired_at = now() WHERE retired_at IS NULL AND ${age} RETURNING kid, retired_at`,
            [olderThanHours ?? null],
          )
        : await db.query<{ kid: string; retired_at: Date }>(
            `UPDATE gate_keys SET retired_at = now() WHERE event_id = $2 AND retired_at IS NULL AND ${age} RETURNING kid, retired_at`,
            [olderThanHours ?? null, what.eventId],
          );
    if (olderThanHours !== undefined && !retired.rowCount) return undefined;
    const newKid = what.kind === 'issuing' ? await ctx.keys.insertIssuingKey(db) : await ctx.keys.insertGateKey(db, what.eventId);
    if (!newKid) throw new DomainError('CONFLICT', 'Another rotation of this key is in progress. Retry.');
    const old = retired.rows[0];
    const r: Rotation = {
      kind: what.kind,
      eventId: what.kind === 'gate' ? what.eventId : null,
      retiredKid: old?.kid ?? null,
      newKid,
      retiredValidUntil: old ? new Date(old.retired_at.getTime() + ctx.keys.overlapSeconds * 1000) : null,
    };
    await recordAudit(db, {
      actor,
      action: what.kind === 'issuing' ? 'key.rotate_issuing' : 'key.rotate_gate',
      targetType: what.kind === 'issuing' ? 'issuing_key' : 'event',
      targetId: what.kind === 'issuing' ? newKid : what.eventId,
      details: { retired_kid: r.retiredKid, new_kid: newKid, overlap_seconds: ctx.keys.overlapSeconds, reason },
    });
    await notifyKeysChanged(db, what.kind === 'issuing' ? null : what.hallId);
    return r;
  });
  // The NOTIFY reaches this instance too, but not before this call returns: a code issued right after must use the new key.
  if (rotation) ctx.keys.invalidate();
  return rotation;
}

/** `reason` lands in the audit row: 'manual' (admin endpoint), 'cli', 'scheduled'. */
export async function rotateIssuingKey(ctx: Deps, actor: Actor, reason = 'manual'): Promise<Rotation> {
  return (await rotate(ctx, actor, { kind: 'issuing' }, reason))!;
}

async function gateTarget(db: Queryable, eventId: string): Promise<Target> {
  const { rows } = await db.query<{ hall_id: string }>('SELECT hall_id FROM events WHERE id = $1', [eventId]);
  if (!rows[0]) throw new DomainError('EVENT_NOT_FOUND');
  return { kind: 'gate', eventId, hallId: rows[0].hall_id };
}

export async function rotateGateKey(ctx: Deps, actor: Actor, eventId: string, reason = 'manual'): Promise<Rotation> {
  return (await rotate(ctx, actor, await gateTarget(ctx.pool, eventId), reason))!;
}

/** Keys active for longer than the interval: the issuing key, and gate keys of events not yet over. */
async function dueKeys(db: Queryable, intervalHours: number): Promise<{ issuing: boolean; events: string[] }> {
  const age = `created_at < now() - $1::float8 * interval '1 hour'`;
  const issuing = await db.query(`SELECT 1 FROM issuing_keys WHERE retired_at IS NULL AND ${age}`, [intervalHours]);
  const gates = await db.query<{ event_id: string }>(
    `SELECT g.event_id FROM gate_keys g JOIN events e ON e.id = g.event_id
      WHERE g.retired_at IS NULL AND g.${age} AND e.event_date > now() - interval '1 day'`,
    [intervalHours],
  );
  return { issuing: (issuing.rowCount ?? 0) > 0, events: gates.rows.map((r) => r.event_id) };
}

/** One pass of the schedule: rotates every key older than KEY_ROTATION_INTERVAL_HOURS. */
export async function rotateDueKeys(ctx: Deps & Pick<AppContext, 'config'>): Promise<Rotation[]> {
  const hours = ctx.config.KEY_ROTATION_INTERVAL_HOURS;
  if (hours <= 0) return [];
  const due = await dueKeys(ctx.pool, hours);
  const done: Rotation[] = [];
  const targets: Target[] = due.issuing ? [{ kind: 'issuing' }] : [];
  for (const eventId of due.events) targets.push(await gateTarget(ctx.pool, eventId));
  for (const target of targets) {
    const r = await rotate(ctx, null, target, 'scheduled', hours);
    if (r) done.push(r);
  }
  return done;
}

export const keyRotationJob: BackgroundJob = {
  name: 'key rotation',
  intervalMs: (ctx) => ctx.config.KEY_ROTATION_CHECK_INTERVAL_MS,
  run: rotateDueKeys,
};

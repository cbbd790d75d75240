import type { sync } from '@ticketgate/protocol';
import type { AppContext } from '../../context.js';
import { withTransaction, type Queryable } from '../../db/pool.js';
import type { Actor } from '../../policy/access.js';
import { recordAudit } from '../audit/audit-log.js';
import { DomainError } from '../errors.js';
import { notifyKeysChanged, notifyRevoked } from '../live/notices.js';

interface DeviceRow {
  id: string;
  name: string;
  hall_id: string;
  status: 'ACTIVE' | 'REVOKED';
  last_seen_at: Date | null;
  last_backlog: number | null;
  clock_offset_ms: number | null;
  app_version: string | null;
  enrolled_at: Date;
  revoked_at: Date | null;
  rejected_uploads: number;
  sync_integrity: 'ok' | 'refused' | null;
  sync_integrity_message: string | null;
  sync_integrity_at: Date | null;
}

const COLUMNS = `id, name, hall_id, status, last_seen_at, last_backlog, clock_offset_ms, app_version, enrolled_at, revoked_at,
  rejected_uploads, sync_integrity, sync_integrity_message, sync_integrity_at`;

function toView(r: DeviceRow): sync.DeviceView {
  return {
    device_id: r.id,
    name: r.name,
    hall_id: r.hall_id,
    status: r.status,
    last_seen_at: r.last_seen_at?.toISOString() ?? null,
    backlog: r.last_backlog,
    clock_offset_ms: r.clock_offset_ms,
    app_version: r.app_version,
    enrolled_at: r.enrolled_at.toISOString(),
    revoked_at: r.revoked_at?.toISOString() ?? null,
    rejected_uploads: r.rejected_uploads,
    sync_integrity: r.sync_integrity,
    sync_integrity_message: r.sync_integrity_message,
    sync_integrity_at: r.sync_integrity_at?.toISOString() ?? null,
  };
}

export async function listDevices(
  db: Queryable,
  q: {
    hallId?: string | undefined;
    status?: 'ACTIVE' | 'REVOKED' | undefined;
    /** Only devices of halls of these venues (null: every venue). */
    venueIds: string[] | null;
    page: number;
    perPage: number;
  },
): Promise<{ items: sync.DeviceView[]; total: number }> {
  const where = `($1::text IS NULL OR hall_id = $1) AND ($2::text IS NULL OR status = $2)
    AND ($3::uuid[] IS NULL OR hall_id IN (SELECT id FROM halls WHERE venue_id = ANY ($3::uuid[])))`;
  const filter = [q.hallId ?? null, q.status ?? null, q.venueIds];
  const { rows } = await db.query<DeviceRow & { total: number }>(
    `SELECT ${COLUMNS}, count(*) OVER ()::int AS total FROM devices WHERE ${where}
      ORDER BY hall_id, name, enrolled_at LIMIT $4 OFFSET $5`,
    [...filter, q.perPage, (q.page - 1) * q.perPage],
  );
  let total = rows[0]?.total;
  if (total === undefined) {
    // Past the last page there are no rows to carry the window count.
    const c = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM devices WHERE ${where}`, filter);
    total = c.rows[0]!.n;
  }
  return { items: rows.map(toView), total };
}

/**
 * Revokes a device: its token is refused from the next call on, and every
 * instance closes its open live stream when the NOTIFY (same transaction) arrives.
 * Revoking twice is harmless and answers the same device.
 */
export async function revokeDevice(ctx: Pick<AppContext, 'pool' | 'now'>, actor: Actor, deviceId: string): Promise<sync.DeviceView> {
  return withTransaction(ctx.pool, async (db) => {
    const { rows } = await db.query<DeviceRow>(
      `UPDATE devices SET status = 'REVOKED', revoked_at = $2 WHERE id = $1 AND status = 'ACTIVE' RETURNING ${COLUMNS}`,
      [deviceId, new Date(ctx.now())],
    );
    if (rows[0]) {
      await notifyRevoked(db, deviceId);
      // The hall's other gates re-pull their manifest, which lists revoked devices: their mesh refuses this one from then on.
      await notifyKeysChanged(db, rows[0].hall_id);
      await recordAudit(db, {
        actor,
        action: 'device.revoke',
        targetType: 'device',
        targetId: deviceId,
        details: { hall_id: rows[0].hall_id, name: rows[0].name },
      });
      return toView(rows[0]);
    }
    const existing = await db.query<DeviceRow>(`SELECT ${COLUMNS} FROM devices WHERE id = $1`, [deviceId]);
    if (!existing.rows[0]) throw new DomainError('NOT_FOUND', 'Device does not exist.');
    return toView(existing.rows[0]);
  });
}

export async function isDeviceActive(db: Queryable, deviceId: string): Promise<boolean> {
  const { rows } = await db.query<{ status: string }>('SELECT status FROM devices WHERE id = $1', [deviceId]);
  return rows[0]?.status === 'ACTIVE';
}

/**
 * What the gate says about the sync data it received (it refuses what fails
 * verification): shown to operators in the device view. The gate's own time of
 * the last refusal is kept only when it parses and is not in the future.
 */
export async function recordSyncIntegrity(
  db: Queryable,
  deviceId: string,
  report: NonNullable<sync.ScanUploadRequest['sync_integrity']>,
  nowMs: number,
): Promise<void> {
  const at = report.at ? Date.parse(report.at) : NaN;
  await db.query('UPDATE devices SET sync_integrity = $2, sync_integrity_message = $3, sync_integrity_at = $4 WHERE id = $1', [
    deviceId,
    report.state,
    report.message,
    Number.isFinite(at) && at <= nowMs ? new Date(at) : new Date(nowMs),
  ]);
}

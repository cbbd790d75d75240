import type { sync } from '@ticketgate/protocol';
import type { AppContext } from '../../context.js';
import { withTransaction, type Queryable } from '../../db/pool.js';
import { DomainError } from '../errors.js';
import { notifyRevoked } from '../live/notices.js';

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
}

const COLUMNS = 'id, name, hall_id, status, last_seen_at, last_backlog, clock_offset_ms, app_version, enrolled_at, revoked_at, rejected_uploads';

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
  };
}

export async function listDevices(
  db: Queryable,
  q: { hallId?: string | undefined; status?: 'ACTIVE' | 'REVOKED' | undefined; page: number; perPage: number },
): Promise<{ items: sync.DeviceView[]; total: number }> {
  const { rows } = await db.query<DeviceRow & { total: number }>(
    `SELECT ${COLUMNS}, count(*) OVER ()::int AS total FROM devices
      WHERE ($1::text IS NULL OR hall_id = $1) AND ($2::text IS NULL OR status = $2)
      ORDER BY hall_id, name, enrolled_at LIMIT $3 OFFSET $4`,
    [q.hallId ?? null, q.status ?? null, q.perPage, (q.page - 1) * q.perPage],
  );
  let total = rows[0]?.total;
  if (total === undefined) {
    // Past the last page there are no rows to carry the window count.
    const c = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM devices WHERE ($1::text IS NULL OR hall_id = $1) AND ($2::text IS NULL OR status = $2)',
      [q.hallId ?? null, q.status ?? null],
    );
    total = c.rows[0]!.n;
  }
  return { items: rows.map(toView), total };
}

/**
 * Revokes a device: its token is refused from the next call on, and every
 * instance closes its open live stream when the NOTIFY (same transaction) arrives.
 * Revoking twice is harmless and answers the same device.
 */
export async function revokeDevice(ctx: Pick<AppContext, 'pool' | 'now'>, deviceId: string): Promise<sync.DeviceView> {
  return withTransaction(ctx.pool, async (db) => {
    const { rows } = await db.query<DeviceRow>(
      `UPDATE devices SET status = 'REVOKED', revoked_at = $2 WHERE id = $1 AND status = 'ACTIVE' RETURNING ${COLUMNS}`,
      [deviceId, new Date(ctx.now())],
    );
    if (rows[0]) {
      await notifyRevoked(db, deviceId);
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

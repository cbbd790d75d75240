import type { AppContext } from '../../context.js';
import { DomainError } from '../errors.js';
import { hashDeviceToken, looksLikeDeviceToken } from './device-secrets.js';

/** The gate behind a device-authenticated request. */
export interface DeviceIdentity {
  id: string;
  hallId: string;
  name: string;
}

/** last_seen_at is written at most this often per device, so busy gates do not write on every call. */
export const LAST_SEEN_RESOLUTION_MS = 5000;

/**
 * Resolves a device token on every call (one index probe), so a revocation is
 * refused at once on every server instance without any cache to invalidate.
 */
export async function authenticateDevice(ctx: Pick<AppContext, 'pool' | 'now'>, token: string): Promise<DeviceIdentity> {
  if (!looksLikeDeviceToken(token)) throw new DomainError('UNAUTHORIZED', 'Not a device token.');
  const { rows } = await ctx.pool.query<{ id: string; hall_id: string; name: string; status: string; last_seen_at: Date | null }>(
    'SELECT id, hall_id, name, status, last_seen_at FROM devices WHERE token_hash = $1',
    [hashDeviceToken(token)],
  );
  const d = rows[0];
  if (!d) throw new DomainError('UNAUTHORIZED', 'Unknown device token.');
  if (d.status !== 'ACTIVE') throw new DomainError('DEVICE_REVOKED');
  const now = ctx.now();
  if (!d.last_seen_at || now - d.last_seen_at.getTime() >= LAST_SEEN_RESOLUTION_MS) {
    await ctx.pool.query('UPDATE devices SET last_seen_at = $2 WHERE id = $1 AND (last_seen_at IS NULL OR last_seen_at < $2)', [
      d.id,
      new Date(now),
    ]);
  }
  return { id: d.id, hallId: d.hall_id, name: d.name };
}

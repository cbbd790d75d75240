import { issueDeviceCert } from '@ticketgate/crypto';
import type { AppContext } from '../../context.js';
import { DomainError } from '../errors.js';
import type { DeviceIdentity } from './device-identity.js';

/**
 * How long a device certificate holds. Every manifest carries a fresh one, so a
 * gate that syncs never comes near the end; the span is how long a gate cut off
 * from the server keeps meshing with its hall. A stolen gate is stopped sooner
 * by revocation, which every manifest lists.
 */
export const DEVICE_CERT_TTL_MS = 30 * 24 * 3600_000;

/** This device's current certificate (docs/mesh.md), null when it has registered no mesh key. */
export async function currentDeviceCert(
  ctx: Pick<AppContext, 'pool' | 'syncKeys' | 'now'>,
  device: DeviceIdentity,
): Promise<string | null> {
  const { rows } = await ctx.pool.query<{ mesh_public_key: string | null; name: string }>(
    'SELECT mesh_public_key, name FROM devices WHERE id = $1',
    [device.id],
  );
  const publicKey = rows[0]?.mesh_public_key;
  if (!publicKey) return null;
  const now = ctx.now();
  return issueDeviceCert(await ctx.syncKeys.activeKey(), {
    deviceId: device.id,
    hallId: device.hallId,
    name: rows[0]!.name,
    publicKey,
    issuedAt: now,
    expiresAt: now + DEVICE_CERT_TTL_MS,
  });
}

/** Registers (or replaces) the device's mesh key and answers its certificate. The token is the credential: a gate speaks only for itself. */
export async function registerMeshKey(
  ctx: Pick<AppContext, 'pool' | 'syncKeys' | 'now'>,
  device: DeviceIdentity,
  publicKey: string,
): Promise<string> {
  await ctx.pool.query('UPDATE devices SET mesh_public_key = $2 WHERE id = $1', [device.id, publicKey]);
  const cert = await currentDeviceCert(ctx, device);
  if (!cert) throw new DomainError('NOT_FOUND', 'Device does not exist.');
  return cert;
}

/** Revoked devices of a hall: the manifest lists them so gates refuse their certificates. */
export async function revokedDevicesOf(ctx: Pick<AppContext, 'pool'>, hallId: string): Promise<string[]> {
  const { rows } = await ctx.pool.query<{ id: string }>(`SELECT id FROM devices WHERE hall_id = $1 AND status = 'REVOKED' ORDER BY id`, [
    hallId,
  ]);
  return rows.map((r) => r.id);
}

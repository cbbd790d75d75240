import { randomUUID } from 'node:crypto';
import { fromBase64Url } from '@ticketgate/crypto';
import type { AppContext } from '../../context.js';
import { withTransaction } from '../../db/pool.js';
import { DomainError } from '../errors.js';
import { hashDeviceToken, hashEnrolmentCode, newDeviceToken, newEnrolmentCode } from './device-secrets.js';

type Deps = Pick<AppContext, 'pool' | 'config' | 'now'>;

export async function createEnrolmentCode(
  ctx: Deps,
  input: { hallId: string; ttlMinutes: number; createdBy: string },
): Promise<{ code: string; hallId: string; expiresAt: Date }> {
  const hall = await ctx.pool.query('SELECT 1 FROM halls WHERE id = $1', [input.hallId]);
  if (!hall.rowCount) throw new DomainError('HALL_NOT_FOUND');
  const code = newEnrolmentCode();
  const expiresAt = new Date(ctx.now() + input.ttlMinutes * 60_000);
  await ctx.pool.query(
    'INSERT INTO enrolment_codes (code_hash, hall_id, created_by, expires_at, created_at) VALUES ($1, $2, $3, $4, $5)',
    [hashEnrolmentCode(ctx.config.MASTER_KEY, code), input.hallId, input.createdBy, expiresAt, new Date(ctx.now())],
  );
  return { code, hallId: input.hallId, expiresAt };
}

/**
 * Exchanges a one-time code for the gate's own credential. The code is consumed
 * by one guarded UPDATE, so two gates racing with the same code cannot both win.
 */
export async function enrolDevice(
  ctx: Deps,
  input: { code: string; name: string; boxPublicKey: string; appVersion?: string | undefined },
): Promise<{ deviceId: string; deviceToken: string; hallId: string }> {
  let key: Uint8Array;
  try {
    key = fromBase64Url(input.boxPublicKey);
  } catch {
    key = new Uint8Array();
  }
  if (key.length !== 32) {
    throw new DomainError('VALIDATION_ERROR', 'box_public_key must be a base64url X25519 public key (32 bytes).', [
      { field: 'body.box_public_key', message: 'not a 32-byte base64url key' },
    ]);
  }
  const deviceId = randomUUID();
  const deviceToken = newDeviceToken();
  const now = new Date(ctx.now());
  const hallId = await withTransaction(ctx.pool, async (db) => {
    const { rows } = await db.query<{ hall_id: string }>(
      `UPDATE enrolment_codes SET used_at = $2, device_id = $3
        WHERE code_hash = $1 AND used_at IS NULL AND expires_at > $2
        RETURNING hall_id`,
      [hashEnrolmentCode(ctx.config.MASTER_KEY, input.code), now, deviceId],
    );
    const hall = rows[0]?.hall_id;
    if (!hall) throw new DomainError('ENROLMENT_INVALID');
    await db.query(
      `INSERT INTO devices (id, hall_id, name, token_hash, box_public_key, app_version, enrolled_at, last_seen_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $7)`,
      [deviceId, hall, input.name, hashDeviceToken(deviceToken), input.boxPublicKey, input.appVersion ?? null, now],
    );
    return hall;
  });
  return { deviceId, deviceToken, hallId };
}

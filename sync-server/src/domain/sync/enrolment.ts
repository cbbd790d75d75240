import { randomUUID } from 'node:crypto';
import { enrolmentBindingKey, enrolmentCodeId, fromBase64Url, toBase64Url } from '@ticketgate/crypto';
import type { AppContext } from '../../context.js';
import { withTransaction } from '../../db/pool.js';
import { DomainError } from '../errors.js';
import { unwrapSecret, wrapSecret } from '../keys/wrap.js';
import { hashDeviceToken, hashEnrolmentCodeId, newDeviceToken, newEnrolmentCode } from './device-secrets.js';

type Deps = Pick<AppContext, 'pool' | 'config' | 'now'>;

export async function createEnrolmentCode(
  ctx: Deps,
  input: { hallId: string; ttlMinutes: number; createdBy: string },
): Promise<{ code: string; hallId: string; expiresAt: Date }> {
  const hall = await ctx.pool.query('SELECT 1 FROM halls WHERE id = $1', [input.hallId]);
  if (!hall.rowCount) throw new DomainError('HALL_NOT_FOUND');
  const code = newEnrolmentCode();
  const expiresAt = new Date(ctx.now() + input.ttlMinutes * 60_000);
  // The gate proves the code by its id and checks the reply with the binding key: both derived from the code, kept here.
  const codeHash = hashEnrolmentCodeId(ctx.config.MASTER_KEY, enrolmentCodeId(code));
  await ctx.pool.query(
    `INSERT INTO enrolment_codes (code_hash, hall_id, created_by, expires_at, created_at, binding_key_wrapped)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [
      codeHash,
      input.hallId,
      input.createdBy,
      expiresAt,
      new Date(ctx.now()),
      wrapSecret(ctx.config.MASTER_KEY, { purpose: 'enrolment', kid: codeHash }, toBase64Url(enrolmentBindingKey(code))),
    ],
  );
  return { code, hallId: input.hallId, expiresAt };
}

/**
 * Exchanges a one-time code (proved by its id) for the gate's own credential. The
 * code is consumed by one guarded UPDATE, so two gates racing with the same code
 * cannot both win. Returns the code's binding key, which authenticates the reply.
 */
export async function enrolDevice(
  ctx: Deps,
  input: { codeId: string; name: string; boxPublicKey: string; appVersion?: string | undefined; meshPublicKey?: string | undefined },
): Promise<{ deviceId: string; deviceToken: string; hallId: string; bindingKey: Uint8Array }> {
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
  const codeHash = hashEnrolmentCodeId(ctx.config.MASTER_KEY, input.codeId);
  const { hallId, bindingKey } = await withTransaction(ctx.pool, async (db) => {
    const { rows } = await db.query<{ hall_id: string; binding_key_wrapped: string }>(
      `UPDATE enrolment_codes SET used_at = $2, device_id = $3
        WHERE code_hash = $1 AND used_at IS NULL AND expires_at > $2 AND binding_key_wrapped IS NOT NULL
        RETURNING hall_id, binding_key_wrapped`,
      [codeHash, now, deviceId],
    );
    const hall = rows[0]?.hall_id;
    if (!hall) throw new DomainError('ENROLMENT_INVALID');
    await db.query(
      `INSERT INTO devices (id, hall_id, name, token_hash, box_public_key, app_version, enrolled_at, last_seen_at, mesh_public_key)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8)`,
      [
        deviceId,
        hall,
        input.name,
        hashDeviceToken(deviceToken),
        input.boxPublicKey,
        input.appVersion ?? null,
        now,
        input.meshPublicKey ?? null,
      ],
    );
    return {
      hallId: hall,
      bindingKey: fromBase64Url(unwrapSecret(ctx.config.MASTER_KEY, { purpose: 'enrolment', kid: codeHash }, rows[0]!.binding_key_wrapped)),
    };
  });
  return { deviceId, deviceToken, hallId, bindingKey };
}

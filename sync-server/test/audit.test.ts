import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAudit } from '../src/domain/audit/audit-log.js';
import { DEMO, createTestApp, demoUser, type TestApp } from './helpers/app.js';
import { ARENA, eventIdOf } from './helpers/commerce.js';
import { enrolGate, soldSeats } from './helpers/sync.js';

type User = Awaited<ReturnType<typeof demoUser>>;

/** The audit trail (docs/security.md): every privileged action leaves a row in its own transaction; rows never change. */
describe('audit log', () => {
  let t: TestApp;
  let admin: User, operator: User, fan: User, fan2: User;
  let arena: string;
  const as = (who: User) => ({ authorization: `Bearer ${who.token}` });
  const post = (who: User, url: string, payload?: object) =>
    t.app.inject({ method: 'POST', url, headers: as(who), ...(payload ? { payload } : {}) });
  const auditOf = async (query: string) => {
    const res = await t.app.inject({ method: 'GET', url: `/api/admin/audit?${query}`, headers: as(admin) });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };

  beforeAll(async () => {
    t = await createTestApp({ seed: true });
    [admin, operator, fan, fan2] = (await Promise.all([DEMO.admin, DEMO.operator, DEMO.fan, DEMO.fan2].map((e) => demoUser(t, e)))) as [
      User,
      User,
      User,
      User,
    ];
    arena = await eventIdOf(t, ARENA);
  });
  afterAll(async () => t?.close());

  /** A COMPLETED transfer fan → fan2 under dispute (fixture in SQL: the transfer flow has its own tests). */
  async function disputedTransfer(): Promise<string> {
    const [seat] = await soldSeats(t, arena, 1);
    await t.ctx.pool.query(`UPDATE seats SET owner_user_id = $2, generation = generation + 1 WHERE id = $1`, [seat, fan2.id]);
    const { rows } = await t.ctx.pool.query<{ id: string }>(
      `INSERT INTO transfers (seat_id, seller_id, buyer_id, initiated_by, amount_cents, status, expires_at, completed_at, disputed_by, disputed_at, dispute_reason)
       VALUES ($1, $2, $3, $2, 0, 'DISPUTED', now() + interval '1 day', now(), $2, now(), 'test') RETURNING id`,
      [seat, fan.id, fan2.id],
    );
    return rows[0]!.id;
  }

  it('records reversal, upholding, device revocation, key rotation and outbox reads with actor, time and target', async () => {
    const reversed = await disputedTransfer();
    expect((await post(admin, '/api/transfer/reverse', { transfer_id: reversed })).statusCode).toBe(200);
    const upheld = await disputedTransfer();
    expect((await post(admin, '/api/transfer/resolve', { transfer_id: upheld, resolution: 'UPHELD' })).statusCode).toBe(200);
    const gate = await enrolGate(t, { name: 'Lost kiosk' });
    expect((await post(operator, `/api/sync/devices/${gate.deviceId}/revoke`)).statusCode).toBe(200);
    // Revoking again changes nothing and is not a second action.
    expect((await post(operator, `/api/sync/devices/${gate.deviceId}/revoke`)).statusCode).toBe(200);
    expect((await post(admin, '/api/admin/keys/gate/rotate', { event_id: arena })).statusCode).toBe(200);
    expect((await post(admin, '/api/admin/keys/issuing/rotate')).statusCode).toBe(200);
    const outbox = await t.app.inject({ method: 'GET', url: '/api/ops/outbox', headers: as(admin) });
    expect(outbox.statusCode).toBe(200);

    const expected: [string, User, string, string][] = [
      ['transfer.reverse', admin, 'transfer', reversed],
      ['transfer.uphold', admin, 'transfer', upheld],
      ['device.revoke', operator, 'device', gate.deviceId],
      ['key.rotate_gate', admin, 'event', arena],
    ];
    for (const [action, actor, targetType, targetId] of expected) {
      const { data, pagination } = await auditOf(`action=${action}`);
      expect(pagination.total, action).toBe(1);
      expect(data[0]).toMatchObject({ actor_id: actor.id, actor_role: actor.role, action, target_type: targetType, target_id: targetId });
      expect(Math.abs(Date.parse(data[0].at) - Date.now())).toBeLessThan(60_000);
    }
    expect((await auditOf('action=key.rotate_issuing')).data[0]).toMatchObject({
      actor_id: admin.id,
      target_type: 'issuing_key',
      details: { reason: 'manual' },
    });
    expect((await auditOf('action=outbox.read')).data[0]).toMatchObject({
      actor_id: admin.id,
      target_type: 'sms_outbox',
      details: { page: 1 },
    });
    expect((await auditOf(`actor_id=${operator.id}`)).data.map((r: { action: string }) => r.action)).toEqual(['device.revoke']);
  });

  it('role changes: admins only, not their own, audited; leaving staff drops venue assignments', async () => {
    const staffB = await demoUser(t, DEMO['staff-b']);
    const url = `/api/admin/users/${staffB.id}/role`;
    expect((await post(operator, url, { role: 'admin' })).json().error_code).toBe('FORBIDDEN');
    expect((await post(admin, `/api/admin/users/${admin.id}/role`, { role: 'fan' })).json().error_code).toBe('FORBIDDEN');
    expect((await post(admin, url, { role: 'root' })).json().error_code).toBe('VALIDATION_ERROR');
    const res = await post(admin, url, { role: 'fan' });
    expect(res.json().data).toEqual({ user_id: staffB.id, from: 'staff', to: 'fan' });
    expect((await t.ctx.pool.query('SELECT 1 FROM venue_assignments WHERE user_id = $1', [staffB.id])).rowCount).toBe(0);
    const { data } = await auditOf(`action=user.role_change&target_id=${staffB.id}`);
    expect(data).toMatchObject([{ actor_id: admin.id, target_type: 'user', details: { from: 'staff', to: 'fan' } }]);
  });

  it('lists newest first with pagination and filters; only admins may read it', async () => {
    const all = await auditOf('per_page=2');
    expect(all.data).toHaveLength(2);
    expect(all.pagination.total).toBeGreaterThanOrEqual(6);
    expect(Date.parse(all.data[0].at)).toBeGreaterThanOrEqual(Date.parse(all.data[1].at));
    const page2 = await auditOf('per_page=2&page=2');
    expect(page2.data[0].id).toBeLessThan(all.data[1].id);
    expect((await auditOf(`until=${encodeURIComponent(new Date(Date.now() - 3_600_000).toISOString())}`)).data).toEqual([]);
    expect((await t.app.inject({ method: 'GET', url: '/api/admin/audit?action=nope', headers: as(admin) })).json().error_code).toBe(
      'VALIDATION_ERROR',
    );
    expect((await t.app.inject({ method: 'GET', url: '/api/admin/audit', headers: as(operator) })).json().error_code).toBe('FORBIDDEN');
  });

  it('the table refuses UPDATE, DELETE and TRUNCATE, even from the application role', async () => {
    const { rows } = await t.ctx.pool.query<{ id: string }>('SELECT id FROM audit_log ORDER BY id LIMIT 1');
    await expect(t.ctx.pool.query(`UPDATE audit_log SET action = 'device.revoke' WHERE id = $1`, [rows[0]!.id])).rejects.toThrow(
      /append-only/,
    );
    await expect(t.ctx.pool.query('DELETE FROM audit_log WHERE id = $1', [rows[0]!.id])).rejects.toThrow(/append-only/);
    await expect(t.ctx.pool.query('TRUNCATE audit_log')).rejects.toThrow(/append-only/);
    expect((await t.ctx.pool.query('SELECT 1 FROM audit_log WHERE id = $1', [rows[0]!.id])).rowCount).toBe(1);
  });

  it('an action that rolls back leaves no audit row (same transaction)', async () => {
    const before = (await auditOf('action=device.revoke')).pagination.total;
    const client = await t.ctx.pool.connect();
    try {
      await client.query('BEGIN');
      await recordAudit(client, { actor: { id: admin.id, role: 'admin' }, action: 'device.revoke', targetType: 'device', targetId: 'x' });
      await client.query('ROLLBACK');
    } finally {
      client.release();
    }
    expect((await auditOf('action=device.revoke')).pagination.total).toBe(before);
    // A revocation refused for scope writes nothing either.
    const operatorB = await demoUser(t, DEMO['operator-b']);
    const gate = await enrolGate(t, { hallId: 'HALL-A' });
    expect((await post(operatorB, `/api/sync/devices/${gate.deviceId}/revoke`)).json().error_code).toBe('FORBIDDEN');
    expect((await auditOf('action=device.revoke')).pagination.total).toBe(before);
  });
});

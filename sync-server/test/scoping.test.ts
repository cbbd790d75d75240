import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, createTestApp, demoUser, type TestApp } from './helpers/app.js';
import { ARENA, CHAMBER, eventIdOf } from './helpers/commerce.js';
import { enrolGate, soldSeats } from './helpers/sync.js';

type User = Awaited<ReturnType<typeof demoUser>>;

/**
 * Venue scoping (docs/security.md): staff and operators act only for their
 * venues. staff-b and operator-b work for the venue of HALL-B only; the demo
 * staff and operator for both venues; admins everywhere.
 */
describe('venue scoping of staff and operators', () => {
  let t: TestApp;
  let staff: User, staffB: User, operator: User, operatorB: User, admin: User, fan: User;
  let arena: string, chamber: string, venueA: string, venueB: string;
  const req = (who: User, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object): Promise<LightMyRequestResponse> =>
    t.app.inject({ method, url, headers: { authorization: `Bearer ${who.token}` }, ...(payload ? { payload } : {}) });
  const codeOf = (res: LightMyRequestResponse) => (res.json() as { error_code?: string }).error_code;

  beforeAll(async () => {
    t = await createTestApp({ seed: true });
    [staff, staffB, operator, operatorB, admin, fan] = (await Promise.all(
      [DEMO.staff, DEMO['staff-b'], DEMO.operator, DEMO['operator-b'], DEMO.admin, DEMO.fan].map((e) => demoUser(t, e)),
    )) as [User, User, User, User, User, User];
    [arena, chamber] = await Promise.all([eventIdOf(t, ARENA), eventIdOf(t, CHAMBER)]);
    const { rows } = await t.ctx.pool.query<{ id: string; venue_id: string }>(`SELECT id, venue_id FROM halls ORDER BY id`);
    [venueA, venueB] = [rows[0]!.venue_id, rows[1]!.venue_id];
  });
  afterAll(async () => t?.close());

  async function qrOf(eventId: string): Promise<string> {
    const [seat] = await soldSeats(t, eventId, 1);
    const res = await req(fan, 'GET', `/api/tickets/${seat}/qr`);
    expect(res.statusCode).toBe(200);
    return res.json().data.qr_payload;
  }

  it('staff-b gets FORBIDDEN verifying a HALL-A ticket at HALL-A, and nothing is checked in or logged', async () => {
    const qr = await qrOf(arena);
    const before = (await t.ctx.pool.query(`SELECT 1 FROM scans WHERE staff_user_id = $1`, [staffB.id])).rowCount;
    const res = await req(staffB, 'POST', '/api/verify', { qr_payload: qr, hall_id: 'HALL-A' });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ success: false, error_code: 'FORBIDDEN', message: expect.stringMatching(/HALL-A/) });
    expect((await t.ctx.pool.query(`SELECT 1 FROM scans WHERE staff_user_id = $1`, [staffB.id])).rowCount).toBe(before);
    // The demo staff works for both venues and admits it.
    expect((await req(staff, 'POST', '/api/verify', { qr_payload: qr, hall_id: 'HALL-A' })).json().data.result).toBe('SUCCESS');
  });

  it('staff-b admits HALL-B tickets; an unknown hall is HALL_NOT_FOUND', async () => {
    const qr = await qrOf(chamber);
    expect((await req(staffB, 'POST', '/api/verify', { qr_payload: qr, hall_id: 'HALL-B' })).json().data.result).toBe('SUCCESS');
    expect(codeOf(await req(staffB, 'POST', '/api/verify', { qr_payload: qr, hall_id: 'HALL-Z' }))).toBe('HALL_NOT_FOUND');
  });

  it('operator-b cannot see or manage HALL-A devices, conflicts, gate stats, enrolment or events', async () => {
    const gateA = await enrolGate(t, { hallId: 'HALL-A', name: 'Arena gate' });
    const gateB = await enrolGate(t, { hallId: 'HALL-B', name: 'Theatre gate' });
    const listed = (await req(operatorB, 'GET', '/api/sync/devices?per_page=100')).json();
    const ids = listed.data.map((d: { device_id: string }) => d.device_id);
    expect(ids).toContain(gateB.deviceId);
    expect(ids).not.toContain(gateA.deviceId);
    expect(listed.pagination.total).toBe(ids.length);
    expect((await req(operatorB, 'GET', '/api/sync/devices?hall_id=HALL-A')).json().data).toEqual([]);
    expect(
      (await req(operator, 'GET', '/api/sync/devices?per_page=100')).json().data.map((d: { device_id: string }) => d.device_id),
    ).toContain(gateA.deviceId);

    const refused: [string, string, object?][] = [
      ['POST', `/api/sync/devices/${gateA.deviceId}/revoke`],
      ['GET', `/api/sync/conflicts?event_id=${arena}`],
      ['GET', `/api/sync/stats?event_id=${arena}`],
      ['POST', '/api/sync/enrolments', { hall_id: 'HALL-A' }],
      ['POST', `/api/ops/events/${arena}/seats`, { blocks: [{ rows: ['ZZ'], seats_per_row: 1, category: 'CAT1' }] }],
      ['POST', '/api/ops/halls', { hall_id: 'HALL-X', venue_id: venueA, name: 'Annex' }],
      [
        'POST',
        '/api/ops/events',
        {
          venue_id: venueA,
          hall_id: 'HALL-A',
          name: 'Takeover',
          event_date: new Date(Date.now() + 864e5).toISOString(),
          pricing_tiers: { GA: 1 },
        },
      ],
      ['GET', `/api/stats?event_id=${arena}`],
      ['GET', `/api/stats/scans?event_id=${arena}`],
    ];
    for (const [method, url, body] of refused) {
      const res = await req(operatorB, method as 'GET' | 'POST', url, body);
      expect(res.statusCode, `${method} ${url}`).toBe(403);
      expect(codeOf(res)).toBe('FORBIDDEN');
    }
    const device = await t.ctx.pool.query<{ status: string }>('SELECT status FROM devices WHERE id = $1', [gateA.deviceId]);
    expect(device.rows[0]!.status).toBe('ACTIVE');
    expect((await t.ctx.pool.query(`SELECT 1 FROM seats WHERE event_id = $1 AND row_label = 'ZZ'`, [arena])).rowCount).toBe(0);

    // Their own venue works.
    expect((await req(operatorB, 'GET', `/api/sync/conflicts?event_id=${chamber}`)).statusCode).toBe(200);
    expect((await req(operatorB, 'POST', '/api/sync/enrolments', { hall_id: 'HALL-B' })).statusCode).toBe(201);
    const venues = (await req(operatorB, 'GET', '/api/ops/venues')).json().data.map((v: { venue_id: string }) => v.venue_id);
    expect(venues).toEqual([venueB]);
    const stats = (await req(operatorB, 'GET', '/api/stats')).json().map((s: { event_id: string }) => s.event_id);
    expect(stats).toEqual([chamber]);
    expect((await req(operatorB, 'GET', '/api/analytics/summary')).json().total_events).toBe(1);
    expect((await req(admin, 'GET', '/api/analytics/summary')).json().total_events).toBe(3);
  });

  it('admins manage assignments; the change takes effect on the next request and is audited', async () => {
    expect(codeOf(await req(operator, 'GET', '/api/admin/venue-assignments'))).toBe('FORBIDDEN');
    expect(codeOf(await req(operator, 'POST', '/api/admin/venue-assignments', { user_id: operatorB.id, venue_id: venueA }))).toBe(
      'FORBIDDEN',
    );
    const before = (await req(admin, 'GET', `/api/admin/venue-assignments?user_id=${staffB.id}`)).json().data;
    expect(before.map((a: { venue_id: string }) => a.venue_id)).toEqual([venueB]);

    const added = await req(admin, 'POST', '/api/admin/venue-assignments', { user_id: staffB.id, venue_id: venueA });
    expect(added.statusCode).toBe(201);
    expect(added.json().data).toMatchObject({ user_id: staffB.id, venue_id: venueA, role: 'staff' });
    expect((await req(admin, 'POST', '/api/admin/venue-assignments', { user_id: staffB.id, venue_id: venueA })).statusCode).toBe(200);
    const qr = await qrOf(arena);
    expect((await req(staffB, 'POST', '/api/verify', { qr_payload: qr, hall_id: 'HALL-A' })).json().data.result).toBe('SUCCESS');

    const removed = await req(admin, 'DELETE', `/api/admin/venue-assignments/${staffB.id}/${venueA}`);
    expect(removed.statusCode).toBe(200);
    expect(codeOf(await req(admin, 'DELETE', `/api/admin/venue-assignments/${staffB.id}/${venueA}`))).toBe('NOT_FOUND');
    expect(codeOf(await req(staffB, 'POST', '/api/verify', { qr_payload: await qrOf(arena), hall_id: 'HALL-A' }))).toBe('FORBIDDEN');

    // Fans and admins are not assigned.
    expect(codeOf(await req(admin, 'POST', '/api/admin/venue-assignments', { user_id: fan.id, venue_id: venueA }))).toBe(
      'VALIDATION_ERROR',
    );
    const audit = (await req(admin, 'GET', `/api/admin/audit?target_id=${staffB.id}`)).json().data;
    expect(audit.map((a: { action: string }) => a.action)).toEqual(['venue_assignment.remove', 'venue_assignment.add']);
    expect(audit[1]).toMatchObject({ actor_id: admin.id, actor_role: 'admin', target_type: 'user', details: { venue_id: venueA } });
  });
});

import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, createTestApp, demoUser, type TestApp } from './helpers/app.js';
import { call } from './helpers/commerce.js';
import { credentialAt, enrolGate, scan, soldSeats, upcomingEvent, upload, type TestGate } from './helpers/sync.js';

// Entry and exit, the admission policy endpoints, annulled admissions and
// occupancy on a real PostgreSQL; scoping with the operator of another venue.
describe('entry, exit, annulment and occupancy (server)', () => {
  let t: TestApp;
  let operator: { token: string };
  let operatorB: { token: string };
  let staff: { token: string };
  let eventId: string;
  let floorGate: TestGate;
  let plainGate: TestGate;

  beforeAll(async () => {
    t = await createTestApp({ seed: true });
    [operator, operatorB, staff] = await Promise.all([
      demoUser(t, DEMO.operator),
      demoUser(t, DEMO['operator-b']),
      demoUser(t, DEMO.staff),
    ]);
    eventId = await upcomingEvent(t, 'HALL-A');
    [floorGate, plainGate] = [await enrolGate(t, { name: 'Floor door' }), await enrolGate(t, { name: 'Main door' })];
  });
  afterAll(async () => t?.close());

  const put = (token: string, body: unknown, id = eventId) =>
    t.app.inject({
      method: 'PUT',
      url: `/api/sync/events/${id}/admission-policy`,
      headers: { authorization: `Bearer ${token}` },
      payload: body as object,
    });

  it('PUT/GET admission-policy: validated, audited, venue-scoped, and signed into the gate manifest', async () => {
    const before = await call(t, 'GET', `/api/sync/events/${eventId}/admission-policy`, operator.token);
    expect(before.json().data).toMatchObject({ custom: false, policy: { reentry: false, zones: [] }, updated_at: null });

    const bad = await put(operator.token, { doors_open_at: '2026-12-01T20:00:00Z', last_entry_at: '2026-12-01T18:00:00Z' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ success: false, error_code: 'VALIDATION_ERROR' });
    expect(bad.body).not.toMatch(/at .*\.ts/);

    const policy = {
      reentry: true,
      zones: [
        { zone: 'FLOOR', categories: ['CAT1'], device_ids: [floorGate.deviceId] },
        { zone: 'BALCONY', categories: ['CAT3'] },
      ],
    };
    const res = await put(operator.token, policy);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().data).toMatchObject({ event_id: eventId, custom: true, policy: { ...policy, max_entries: null, per_day: false } });
    const { rows } = await t.ctx.pool.query(
      `SELECT actor_role, target_id, details FROM audit_log WHERE action = 'admission_policy.set' ORDER BY id DESC LIMIT 1`,
    );
    expect(rows[0]).toMatchObject({ actor_role: 'operator', target_id: eventId, details: { policy: { reentry: true } } });

    // The operator of another venue neither reads nor changes it.
    expect((await call(t, 'GET', `/api/sync/events/${eventId}/admission-policy`, operatorB.token)).json().error_code).toBe('FORBIDDEN');
    expect((await put(operatorB.token, {})).json().error_code).toBe('FORBIDDEN');
    expect((await put(operator.token, {}, randomUUID())).json().error_code).toBe('EVENT_NOT_FOUND');

    const manifest = await t.app.inject({ method: 'GET', url: '/api/sync/hall', headers: floorGate.headers });
    const event = manifest.json().data.events.find((e: { event_id: string }) => e.event_id === eventId);
    expect(event.admission_policy).toMatchObject({
      reentry: true,
      zones: [{ zone: 'FLOOR', device_ids: [floorGate.deviceId] }, { zone: 'BALCONY' }],
    });
  });

  it('an uploaded admission annulled later frees the seat: the same ticket is admitted again', async () => {
    const [seatId] = await soldSeats(t, eventId, 1);
    const at = t.clock.now() - 60_000;
    const admitted = scan({ eventId, seatId: seatId!, at });
    expect((await upload(t, plainGate, [admitted])).json().data.accepted).toEqual([admitted.client_scan_id]);
    const status = async () => (await t.ctx.pool.query('SELECT status FROM seats WHERE id = $1', [seatId])).rows[0].status;
    expect(await status()).toBe('CHECKED_IN');

    // The turnstile saw nobody pass: the gate sends the same scan again, annulled.
    const annulled = { ...admitted, annulled_at: new Date(at + 5_000).toISOString() };
    const credential = await credentialAt(t, { seatId: seatId!, eventId, at });
    for (let i = 0; i < 2; i++) {
      const res = await upload(t, plainGate, [{ ...annulled, credential }]);
      expect(res.json().data).toMatchObject({ accepted: [admitted.client_scan_id], conflicts: [], rejected: [] });
    }
    expect(await status()).toBe('SOLD');
    const { rows } = await t.ctx.pool.query('SELECT annulled_at, is_conflict FROM scans WHERE client_scan_id = $1', [
      admitted.client_scan_id,
    ]);
    expect(rows).toEqual([{ annulled_at: new Date(at + 5_000), is_conflict: false }]);

    const again = await call(t, 'POST', '/api/verify', staff.token, {
      qr_payload: await credentialAt(t, { seatId: seatId!, eventId, at: t.clock.now() }),
      hall_id: 'HALL-A',
    });
    expect(again.json().data.result).toBe('SUCCESS');
    expect(await status()).toBe('CHECKED_IN');
  });

  it('GET /api/sync/occupancy: entries minus exits per hall and zone, annulled left out; the same in /metrics; nothing for venue B', async () => {
    const seats = await soldSeats(t, eventId, 4);
    const base = t.clock.now() - 30 * 60_000;
    // The floor door admits three, one of them annulled, and lets one out; the main door (no zone) admits one.
    const entries = seats.slice(0, 3).map((seatId, i) => scan({ eventId, seatId, at: base + i * 1000 }));
    const exit = { ...scan({ eventId, seatId: seats[0]!, at: base + 60_000, result: 'EXITED' }), direction: 'exit' as const };
    const annulled = { ...entries[2]!, annulled_at: new Date(base + 9_000).toISOString() };
    const res = await upload(t, floorGate, [entries[0]!, entries[1]!, annulled, exit]);
    expect(res.json().data.rejected).toEqual([]);
    await upload(t, plainGate, [scan({ eventId, seatId: seats[3]!, at: base + 5_000 })]);

    const occ = await call(t, 'GET', `/api/sync/occupancy?event_id=${eventId}`, operator.token);
    expect(occ.statusCode).toBe(200);
    const { rows: hall } = await t.ctx.pool.query(`SELECT name FROM halls WHERE id = 'HALL-A'`);
    // One admission from the previous test is inside too (online staff, no zone).
    expect(occ.json()).toEqual({
      success: true,
      data: {
        event_id: eventId,
        halls: [
          {
            hall_id: 'HALL-A',
            hall_name: hall[0].name,
            inside: 3,
            entries: 4,
            exits: 1,
            zones: [
              { zone: 'FLOOR', inside: 1 },
              { zone: 'BALCONY', inside: 0 },
            ],
          },
        ],
      },
    });

    const metrics = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toContain(`ticketgate_occupancy_inside{event_id="${eventId}",hall_id="HALL-A",zone=""} 3`);
    expect(metrics).toContain(`ticketgate_occupancy_inside{event_id="${eventId}",hall_id="HALL-A",zone="FLOOR"} 1`);

    const foreign = await call(t, 'GET', `/api/sync/occupancy?event_id=${eventId}`, operatorB.token);
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json()).toMatchObject({ success: false, error_code: 'FORBIDDEN' });
    expect(foreign.body).not.toContain('HALL-A');
    expect(foreign.body).not.toContain('"inside"');
    expect((await call(t, 'GET', '/api/sync/occupancy?event_id=nope', operator.token)).json().error_code).toBe('VALIDATION_ERROR');
  });
});

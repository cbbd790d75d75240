import { randomUUID } from 'node:crypto';
import { sync } from '@ticketgate/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, createTestApp, demoUser, type TestApp } from './helpers/app.js';
import { enrolGate, operatorHeaders, scan, soldSeats, upcomingEvent, upload, type TestGate } from './helpers/sync.js';

describe('scan upload, canonical admissions and conflicts', () => {
  let t: TestApp;
  let g1: TestGate;
  let g2: TestGate;
  let event: string;
  let seats: string[];
  let nextSeat = 0;
  const seat = () => seats[nextSeat++]!;
  const T = Date.now() - 3600_000;

  beforeAll(async () => {
    t = await createTestApp({ seed: true });
    g1 = await enrolGate(t, { name: 'Gate 1' });
    g2 = await enrolGate(t, { name: 'Gate 2' });
    event = await upcomingEvent(t);
    seats = await soldSeats(t, event, 200);
  });
  afterAll(async () => t.close());

  const ok = async (gate: TestGate, scans: sync.UploadedScan[], extra?: Parameters<typeof upload>[3]) => {
    const res = await upload(t, gate, scans, extra);
    expect(res.statusCode, res.body).toBe(200);
    return sync.ScanUploadResponse.parse(res.json().data);
  };
  const admissions = async (seatId: string) =>
    (
      await t.ctx.pool.query<{
        device_id: string | null;
        staff_user_id: string | null;
        scanned_at: Date;
        is_conflict: boolean;
        client_scan_id: string;
      }>(
        `SELECT device_id, staff_user_id, scanned_at, is_conflict, client_scan_id FROM scans WHERE seat_id = $1 AND result = 'SUCCESS' ORDER BY scanned_at`,
        [seatId],
      )
    ).rows;
  const seatRow = async (seatId: string) =>
    (
      await t.ctx.pool.query<{ status: string; checked_in_at: Date | null; seq: number }>(
        'SELECT status, checked_in_at, seq FROM seats WHERE id = $1',
        [seatId],
      )
    ).rows[0]!;

  it('stores every scan of a batch with its fields, checks the seat in, and is idempotent when re-sent', async () => {
    const s1 = seat();
    const batch = [
      scan({ eventId: event, seatId: s1, at: T }),
      scan({ eventId: event, seatId: s1, at: T + 5000, result: 'DUPLICATE' }),
      scan({ eventId: event, seatId: randomUUID(), at: T + 6000, result: 'NOT_FOUND' }),
      // A gate cannot read another hall's tickets: its WRONG_HALL names the hall only (an event of another hall is refused, see sync-admission-proof).
      { ...scan({ eventId: event, seatId: null, at: T + 7000, result: 'WRONG_HALL', hallId: 'HALL-B' }), event_id: null, generation: null },
      {
        ...scan({ eventId: event, seatId: null, at: T + 8000, result: 'QR_INVALID' }),
        event_id: null,
        generation: null,
        hall_id: null,
        reason: 'bad tag',
      },
    ];
    const first = await ok(g1, batch, { backlog: 3, clock_offset_ms: 1250 });
    expect(first.accepted).toEqual(batch.map((s) => s.client_scan_id));
    expect(first.conflicts).toEqual([]);
    expect(first.rejected).toEqual([]);

    const { rows } = await t.ctx.pool.query(
      `SELECT client_scan_id, hall_id, event_id, seat_id, generation, result, reason, scanned_at, is_conflict FROM scans
        WHERE device_id = $1 ORDER BY scanned_at`,
      [g1.deviceId],
    );
    expect(rows).toHaveLength(5);
    expect(rows.every((r) => r.hall_id === 'HALL-A')).toBe(true);
    expect(rows[0]).toMatchObject({ seat_id: s1, event_id: event, generation: 1, result: 'SUCCESS', is_conflict: false });
    expect(rows[0].scanned_at.getTime()).toBe(T);
    expect(rows[2]).toMatchObject({ seat_id: null, event_id: event, result: 'NOT_FOUND' });
    expect(rows[3]).toMatchObject({ result: 'WRONG_HALL', reason: 'ticket hall HALL-B' });
    expect(rows[4]).toMatchObject({ event_id: null, seat_id: null, generation: null, result: 'QR_INVALID', reason: 'bad tag' });

    const s = await seatRow(s1);
    expect(s.status).toBe('CHECKED_IN');
    expect(s.checked_in_at!.getTime()).toBe(T);
    const device = (await t.ctx.pool.query('SELECT last_backlog, clock_offset_ms FROM devices WHERE id = $1', [g1.deviceId])).rows[0];
    expect(device).toEqual({ last_backlog: 3, clock_offset_ms: 1250 });

    const again = await ok(g1, batch, { backlog: 0, clock_offset_ms: 1200 });
    expect(again.accepted).toEqual(first.accepted);
    expect(again.conflicts).toEqual([]);
    const count = (await t.ctx.pool.query('SELECT count(*)::int AS n FROM scans WHERE device_id = $1', [g1.deviceId])).rows[0].n;
    expect(count).toBe(5);
    expect((await seatRow(s1)).seq).toBe(s.seq);
  });

  it("the seat's snapshot tuple shows the canonical admission", async () => {
    const s1 = seat();
    await ok(g1, [scan({ eventId: event, seatId: s1, at: T + 1234 })]);
    const d = sync.SeatDelta.parse(
      (await t.app.inject({ method: 'GET', url: `/api/sync/events/${event}/seats?since=0`, headers: g2.headers })).json().data,
    );
    const tuple = d.seats.find((x) => x[0] === s1)!;
    expect(tuple[4]).toBe('CHECKED_IN');
    expect(tuple[6]).toBe('Demo Fan');
    expect(tuple[7]).toBe(new Date(T + 1234).toISOString());
    expect(tuple[8]).toBe('Gate 1');
    // Gates tell admissions apart by device id: names are not unique.
    expect(tuple[9]).toBe(g1.deviceId);
  });

  it('a later admission from another gate is a conflict, reported with the canonical one, exactly once', async () => {
    const s1 = seat();
    const mine = scan({ eventId: event, seatId: s1, at: T });
    await ok(g1, [mine]);
    const before = await seatRow(s1);
    const theirs = scan({ eventId: event, seatId: s1, at: T + 30_000 });
    const res = await ok(g2, [theirs]);
    expect(res.accepted).toEqual([theirs.client_scan_id]);
    expect(res.conflicts).toEqual([
      {
        client_scan_id: theirs.client_scan_id,
        seat_id: s1,
        canonical: { event_id: event, seat_id: s1, scanned_at: new Date(T).toISOString(), device_id: g1.deviceId, admitted_by: 'Gate 1' },
      },
    ]);
    expect(await seatRow(s1)).toEqual(before);
    for (let i = 0; i < 2; i++) expect((await ok(g2, [theirs])).conflicts).toEqual(res.conflicts);
    const rows = await admissions(s1);
    expect(rows.map((r) => [r.device_id, r.is_conflict])).toEqual([
      [g1.deviceId, false],
      [g2.deviceId, true],
    ]);
  });

  it('an earlier admission uploaded late becomes canonical and the old one the conflict', async () => {
    const s1 = seat();
    const late = scan({ eventId: event, seatId: s1, at: T + 60_000 });
    expect((await ok(g1, [late])).conflicts).toEqual([]);
    const before = await seatRow(s1);
    const early = scan({ eventId: event, seatId: s1, at: T });
    const res = await ok(g2, [early]);
    expect(res.conflicts).toEqual([]);
    const after = await seatRow(s1);
    expect(after.checked_in_at!.getTime()).toBe(T);
    expect(after.seq).toBeGreaterThan(before.seq);
    expect((await admissions(s1)).map((r) => [r.device_id, r.is_conflict])).toEqual([
      [g2.deviceId, false],
      [g1.deviceId, true],
    ]);
    // Gate 1 learns it lost when it re-sends (or from the stream / its next seat delta).
    const resent = await ok(g1, [late]);
    expect(resent.conflicts).toEqual([
      {
        client_scan_id: late.client_scan_id,
        seat_id: s1,
        canonical: { event_id: event, seat_id: s1, scanned_at: new Date(T).toISOString(), device_id: g2.deviceId, admitted_by: 'Gate 2' },
      },
    ]);
  });

  it('ties on scan time go to the lower device id, whatever the upload order', async () => {
    const [low, high] = [g1, g2].sort((a, b) => a.deviceId.localeCompare(b.deviceId));
    const s1 = seat();
    await ok(high!, [scan({ eventId: event, seatId: s1, at: T })]);
    await ok(low!, [scan({ eventId: event, seatId: s1, at: T })]);
    const s2 = seat();
    await ok(low!, [scan({ eventId: event, seatId: s2, at: T })]);
    await ok(high!, [scan({ eventId: event, seatId: s2, at: T })]);
    for (const s of [s1, s2]) {
      expect((await admissions(s)).find((r) => !r.is_conflict)!.device_id).toBe(low!.deviceId);
    }
  });

  it('an online staff admission counts: a later gate admission conflicts with it, an earlier one displaces it', async () => {
    const staff = await demoUser(t, DEMO.staff);
    const staffAdmits = async (seatId: string, at: number) => {
      // What the online /api/verify writes: a canonical SUCCESS scan by staff and the seat checked in.
      await t.ctx.pool.query(
        `INSERT INTO scans (staff_user_id, hall_id, event_id, seat_id, generation, result, scanned_at) VALUES ($1, 'HALL-A', $2, $3, 1, 'SUCCESS', $4)`,
        [staff.id, event, seatId, new Date(at)],
      );
      await t.ctx.pool.query(`UPDATE seats SET status = 'CHECKED_IN', checked_in_at = $2 WHERE id = $1`, [seatId, new Date(at)]);
    };
    const s1 = seat();
    await staffAdmits(s1, T);
    const later = scan({ eventId: event, seatId: s1, at: T + 1000 });
    const res = await ok(g1, [later]);
    expect(res.conflicts[0]!.canonical).toEqual({
      event_id: event,
      seat_id: s1,
      scanned_at: new Date(T).toISOString(),
      device_id: null,
      admitted_by: 'online (staff)',
    });

    const s2 = seat();
    await staffAdmits(s2, T);
    expect((await ok(g1, [scan({ eventId: event, seatId: s2, at: T - 1000 })])).conflicts).toEqual([]);
    const rows = await admissions(s2);
    expect(rows.map((r) => [r.device_id, r.staff_user_id, r.is_conflict])).toEqual([
      [g1.deviceId, null, false],
      [null, staff.id, true],
    ]);
    expect((await seatRow(s2)).checked_in_at!.getTime()).toBe(T - 1000);
  });

  it('concurrent uploads from two gates admitting the same seats: exactly one canonical (the earliest) and one conflict per seat', async () => {
    const batchSeats = Array.from({ length: 12 }, seat);
    const at = (i: number, gate: number) => T + ((i * 7 + gate * 5) % 11) * 1000;
    const batches = [g1, g2].map((g, gi) => batchSeats.map((s, i) => scan({ eventId: event, seatId: s, at: at(i, gi) })));
    // Each gate also re-sends its batch at the same time, as a gate whose response was lost would.
    const results = await Promise.all([
      upload(t, g1, batches[0]!),
      upload(t, g2, batches[1]!),
      upload(t, g1, batches[0]!),
      upload(t, g2, batches[1]!),
    ]);
    for (const r of results) expect(r.statusCode, r.body).toBe(200);

    for (const [i, s] of batchSeats.entries()) {
      const rows = await admissions(s);
      expect(rows).toHaveLength(2);
      expect(rows.filter((r) => !r.is_conflict)).toHaveLength(1);
      const expectedWinner = at(i, 0) <= at(i, 1) ? g1 : g2;
      const winner = at(i, 0) === at(i, 1) ? [g1, g2].sort((a, b) => a.deviceId.localeCompare(b.deviceId))[0]! : expectedWinner;
      expect(rows.find((r) => !r.is_conflict)!.device_id).toBe(winner.deviceId);
      expect((await seatRow(s)).checked_in_at!.getTime()).toBe(Math.min(at(i, 0), at(i, 1)));
    }
    // Every response agrees with the final state for that gate's scans.
    const final = [await ok(g1, batches[0]!), await ok(g2, batches[1]!)];
    expect(final[0]!.conflicts.length + final[1]!.conflicts.length).toBe(batchSeats.length);
    const conflicts = (await t.ctx.pool.query('SELECT count(*)::int AS n FROM scans WHERE is_conflict AND seat_id = ANY($1)', [batchSeats]))
      .rows[0].n;
    expect(conflicts).toBe(batchSeats.length);
  });

  it('many rounds of racing uploads of one seat still end with one canonical admission', async () => {
    for (let round = 0; round < 5; round++) {
      const s1 = seat();
      const gates = [g1, g2, await enrolGate(t)];
      await Promise.all(gates.map((g, i) => upload(t, g, [scan({ eventId: event, seatId: s1, at: T + (2 - i) * 10 })])));
      const rows = await admissions(s1);
      expect(rows).toHaveLength(3);
      expect(rows.filter((r) => !r.is_conflict).map((r) => r.device_id)).toEqual([gates[2]!.deviceId]);
    }
  });

  it('rejects, for good, admissions the server cannot store, and keeps the rest of the batch', async () => {
    const hallBSeat = (
      await t.ctx.pool.query(`SELECT s.id FROM seats s JOIN events e ON e.id = s.event_id WHERE e.hall_id = 'HALL-B' LIMIT 1`)
    ).rows[0].id;
    const good = scan({ eventId: event, seatId: seat(), at: T });
    const unknown = scan({ eventId: event, seatId: randomUUID(), at: T });
    const otherHall = scan({ eventId: event, seatId: hallBSeat, at: T });
    const noSeat = scan({ eventId: event, seatId: null, at: T });
    const badTime = { ...scan({ eventId: event, seatId: seat(), at: T, result: 'DUPLICATE' }), scanned_at: 'yesterday-ish' };
    const res = await ok(g1, [good, unknown, otherHall, noSeat, badTime]);
    expect(res.accepted).toEqual([good.client_scan_id]);
    expect(res.rejected.map((r) => r.client_scan_id).sort()).toEqual(
      [unknown.client_scan_id, otherHall.client_scan_id, noSeat.client_scan_id, badTime.client_scan_id].sort(),
    );
    expect(res.rejected.find((r) => r.client_scan_id === otherHall.client_scan_id)!.reason).toMatch(/hall/);
    const stored = (
      await t.ctx.pool.query('SELECT client_scan_id FROM scans WHERE client_scan_id = ANY($1)', [
        [good, unknown, otherHall, noSeat, badTime].map((s) => s.client_scan_id),
      ])
    ).rows;
    expect(stored.map((r) => r.client_scan_id)).toEqual([good.client_scan_id]);
  });

  it('a scan time in the future is clamped to the time it arrived', async () => {
    const s1 = seat();
    const res = await ok(g1, [scan({ eventId: event, seatId: s1, at: Date.now() + 3600_000 })]);
    expect(res.accepted).toHaveLength(1);
    expect((await admissions(s1))[0]!.scanned_at.getTime()).toBeLessThanOrEqual(Date.now());
  });

  it('refuses batches over 1000 scans', async () => {
    const scans = Array.from({ length: 1001 }, () => scan({ eventId: event, seatId: null, at: T, result: 'QR_INVALID' }));
    const res = await upload(t, g1, scans);
    expect(res.statusCode).toBe(400);
    expect(res.json().error_code).toBe('VALIDATION_ERROR');
  });

  it('operators see conflicts with both admissions, and per-gate counts by verdict', async () => {
    const op = await operatorHeaders(t);
    const res = await t.app.inject({ method: 'GET', url: `/api/sync/conflicts?event_id=${event}&per_page=100`, headers: op });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    const conflicts = body.data.map((c: unknown) => sync.ConflictView.parse(c));
    const db = (await t.ctx.pool.query('SELECT count(*)::int AS n FROM scans WHERE is_conflict AND event_id = $1', [event])).rows[0].n;
    expect(conflicts).toHaveLength(db);
    expect(body.pagination.total).toBe(db);
    for (const c of conflicts) {
      expect(c.event_id).toBe(event);
      expect(Date.parse(c.canonical.scanned_at)).toBeLessThanOrEqual(Date.parse(c.conflict.scanned_at));
      expect(c.row).toMatch(/^[A-Z]+$/);
      expect(c.conflict.device_id === null ? c.conflict.admitted_by : 'x').not.toBe('');
    }
    const staffLost = conflicts.find((c: sync.ConflictView) => c.conflict.device_id === null);
    expect(staffLost.conflict.admitted_by).toBe('online (staff)');

    // A code naming no known event is stored without one: /metrics counts it, the gate's row shows it as no_event.
    expect((await upload(t, g1, [scan({ eventId: randomUUID(), seatId: null, at: T, result: 'QR_INVALID' })])).statusCode).toBe(200);
    const stats = sync.GateStats.parse(
      (await t.app.inject({ method: 'GET', url: `/api/sync/stats?event_id=${event}`, headers: op })).json().data,
    );
    expect(stats.hall_id).toBe('HALL-A');
    const { rows } = await t.ctx.pool.query<{ device_id: string | null; result: string; n: number; c: number }>(
      `SELECT device_id, result, count(*)::int AS n, (count(*) FILTER (WHERE is_conflict))::int AS c FROM scans WHERE event_id = $1 GROUP BY 1, 2`,
      [event],
    );
    const gate1 = stats.gates.find((g) => g.device_id === g1.deviceId)!;
    expect(gate1.name).toBe('Gate 1');
    for (const result of sync.UploadedScan.shape.result.options) {
      expect(gate1.by_result[result]).toBe(rows.find((r) => r.device_id === g1.deviceId && r.result === result)?.n ?? 0);
    }
    expect(gate1.total).toBe(rows.filter((r) => r.device_id === g1.deviceId).reduce((a, r) => a + r.n, 0));
    expect(gate1.conflicts).toBe(rows.filter((r) => r.device_id === g1.deviceId).reduce((a, r) => a + r.c, 0));
    const noEvent = (
      await t.ctx.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM scans WHERE event_id IS NULL AND device_id = $1', [g1.deviceId])
    ).rows[0]!.n;
    expect(noEvent).toBeGreaterThan(0);
    expect(gate1.no_event).toBe(noEvent);
    const metrics = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    const all = (
      await t.ctx.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM scans WHERE result = 'QR_INVALID' AND device_id IS NOT NULL`)
    ).rows[0]!.n;
    expect(metrics).toContain(`ticketgate_scans{result="QR_INVALID",source="gate"} ${all}`);
    expect(stats.gates.find((g) => g.device_id === null)).toMatchObject({ name: 'online (staff)' });
    const idle = await enrolGate(t, { name: 'Idle Gate' });
    const withIdle = (await t.app.inject({ method: 'GET', url: `/api/sync/stats?event_id=${event}`, headers: op })).json().data;
    expect(withIdle.gates.find((g: { device_id: string }) => g.device_id === idle.deviceId)).toMatchObject({ total: 0, conflicts: 0 });

    const missing = await t.app.inject({ method: 'GET', url: `/api/sync/conflicts?event_id=${randomUUID()}`, headers: op });
    expect(missing.json().error_code).toBe('EVENT_NOT_FOUND');
    const fan = await demoUser(t, DEMO.fan);
    const forbidden = await t.app.inject({
      method: 'GET',
      url: `/api/sync/stats?event_id=${event}`,
      headers: { authorization: `Bearer ${fan.token}` },
    });
    expect(forbidden.statusCode).toBe(403);
    const noEventId = await t.app.inject({ method: 'GET', url: '/api/sync/conflicts', headers: op });
    expect(noEventId.json().error_code).toBe('VALIDATION_ERROR');
  });
});

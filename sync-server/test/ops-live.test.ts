import { opsLive } from '@ticketgate/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { windowMinutes } from '../src/domain/sync/door-snapshot.js';
import { DEMO, createTestApp, demoUser, type TestApp } from './helpers/app.js';
import { enrolGate, readSse, scan, soldSeats, upcomingEvent, upload, type SseMessage, type TestGate } from './helpers/sync.js';

describe('operator live door stream (GET /api/ops/live)', () => {
  let t: TestApp;
  let url: string;
  let event: string;
  let eventB: string;
  let seats: string[];
  let gateA: TestGate;
  let gateB: TestGate;

  beforeAll(async () => {
    t = await createTestApp({ seed: true });
    url = await t.app.listen({ host: '127.0.0.1', port: 0 });
    event = await upcomingEvent(t);
    eventB = await upcomingEvent(t, 'HALL-B');
    seats = await soldSeats(t, event, 10);
    gateA = await enrolGate(t, { name: 'North 1' });
    gateB = await enrolGate(t, { name: 'North 2' });
  });
  afterAll(async () => {
    t.app.server.closeAllConnections();
    await t.close();
  });

  const ticketFor = async (token: string) =>
    t.app.inject({ method: 'POST', url: '/api/ops/live/tickets', headers: { authorization: `Bearer ${token}` } });
  const ticketOf = async (token: string) => opsLive.LiveTicket.parse((await ticketFor(token)).json().data).ticket;
  const stream = (eventId: string, ticket: string) =>
    readSse(`${url}/api/ops/live?event_id=${eventId}&ticket=${encodeURIComponent(ticket)}`);
  const snapshot = (m: SseMessage) => opsLive.LiveSnapshot.parse(m.data);
  const gate = (s: opsLive.LiveSnapshot, id: string) => s.gates.find((g) => g.device_id === id)!;

  it('gives operators and admins a one-minute ticket; fans, staff and callers without a token get none', async () => {
    const op = await demoUser(t, DEMO.operator);
    const res = await ticketFor(op.token);
    expect(res.statusCode).toBe(201);
    const { expires_at } = opsLive.LiveTicket.parse(res.json().data);
    expect(Date.parse(expires_at) - Date.now()).toBeLessThanOrEqual(61_000);
    expect((await ticketFor((await demoUser(t, DEMO.admin)).token)).statusCode).toBe(201);
    expect((await ticketFor((await demoUser(t, DEMO.fan)).token)).json().error_code).toBe('FORBIDDEN');
    expect((await ticketFor((await demoUser(t, DEMO.staff)).token)).json().error_code).toBe('FORBIDDEN');
    expect((await t.app.inject({ method: 'POST', url: '/api/ops/live/tickets' })).statusCode).toBe(401);
  });

  it('streams a snapshot at once, and a new one as soon as a gate uploads admissions', async () => {
    const op = await demoUser(t, DEMO.operator);
    const s = await stream(event, await ticketOf(op.token));
    try {
      expect(s.status).toBe(200);
      expect(s.contentType).toMatch(/^text\/event-stream/);
      const first = snapshot(await s.next((m) => m.event === 'snapshot'));
      expect(first.event_id).toBe(event);
      expect(first.minutes).toHaveLength(opsLive.LIVE_WINDOW_MINUTES);
      expect(first.halls).toEqual([expect.objectContaining({ hall_id: 'HALL-A', hall_name: 'Main Arena', total: 0 })]);
      // Every active gate of the hall is listed, idle ones with zeros.
      expect(gate(first, gateA.deviceId).admissions.every((n) => n === 0)).toBe(true);
      expect(gate(first, gateB.deviceId).total).toBe(0);

      const at = Date.now() - 1000;
      expect(
        (await upload(t, gateA, [scan({ eventId: event, seatId: seats[0]!, at }), scan({ eventId: event, seatId: seats[1]!, at })]))
          .statusCode,
      ).toBe(200);
      expect((await upload(t, gateB, [scan({ eventId: event, seatId: seats[2]!, at })])).statusCode).toBe(200);
      const moved = snapshot(await s.next((m) => m.event === 'snapshot' && snapshot(m).halls[0]!.total === 3));
      const minute = moved.minutes.indexOf(new Date(windowMinutes(at).at(-1)!).toISOString());
      expect(minute).toBeGreaterThanOrEqual(0);
      expect(gate(moved, gateA.deviceId).admissions[minute]).toBe(2);
      expect(gate(moved, gateB.deviceId).admissions[minute]).toBe(1);
      expect(moved.halls[0]!.admissions[minute]).toBe(3);
    } finally {
      s.close();
    }
  });

  it('reports refused scans by verdict, double admissions and rejected uploads', async () => {
    const op = await demoUser(t, DEMO.operator);
    const s = await stream(event, await ticketOf(op.token));
    try {
      await s.next((m) => m.event === 'snapshot');
      const at = Date.now() - 2000;
      await upload(t, gateB, [
        scan({ eventId: event, seatId: seats[3]!, at, result: 'DUPLICATE' }),
        scan({ eventId: event, seatId: seats[3]!, at, result: 'EXPIRED' }),
        // A second admission of a seat gate A admitted: a conflict.
        scan({ eventId: event, seatId: seats[0]!, at }),
        // An admission without a valid proof: kept as a rejected upload, not counted.
        { ...scan({ eventId: event, seatId: seats[4]!, at }), credential: null },
      ]);
      const after = snapshot(
        await s.next((m) => m.event === 'snapshot' && snapshot(m).conflicts === 1 && snapshot(m).rejected_uploads.length > 0),
      );
      expect(after.invalid).toEqual([
        { result: 'DUPLICATE', count: 1 },
        { result: 'EXPIRED', count: 1 },
      ]);
      expect(after.rejected_uploads).toEqual([expect.objectContaining({ device_id: gateB.deviceId, name: 'North 2', count: 1 })]);
    } finally {
      s.close();
    }
  });

  it('takes identity from the ticket: no ticket, an access token, an expired or forged ticket, or one of an ended session opens nothing', async () => {
    const op = await demoUser(t, DEMO.operator);
    const code = async (ticket: string) => {
      const s = await stream(event, ticket);
      s.close();
      return { status: s.status, code: (s.body as { error_code?: string } | undefined)?.error_code };
    };
    expect((await fetch(`${url}/api/ops/live?event_id=${event}`)).status).toBe(400);
    // An access token is not a stream ticket, nor is a ticket an access token.
    expect(await code(op.token)).toEqual({ status: 401, code: 'UNAUTHORIZED' });
    const ticket = await ticketOf(op.token);
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/sync/devices', headers: { authorization: `Bearer ${ticket}` } })).statusCode,
    ).toBe(401);
    expect(await code(`${ticket.slice(0, -4)}AAAA`)).toEqual({ status: 401, code: 'UNAUTHORIZED' });
    const { rows } = await t.ctx.pool.query<{ id: string }>('SELECT id FROM users WHERE email = $1', [DEMO.operator]);
    const claims = await t.ctx.signer.verify(op.token, 'access');
    const old = await t.ctx.signer.sign({
      userId: rows[0]!.id,
      role: 'operator',
      typ: 'stream',
      ttlSeconds: 60,
      session: claims.sid!,
      now: Date.now() - 120_000,
    });
    expect(await code(old.token)).toEqual({ status: 401, code: 'TOKEN_EXPIRED' });
    // Logged out: the ticket of that session no longer opens the stream.
    const fresh = await ticketOf(op.token);
    expect(
      (await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { authorization: `Bearer ${op.token}` }, payload: {} }))
        .statusCode,
    ).toBeLessThan(300);
    expect(await code(fresh)).toEqual({ status: 401, code: 'UNAUTHORIZED' });
  });

  it("is venue-scoped: an operator of another venue cannot watch this event's doors, but can watch their own", async () => {
    const other = await demoUser(t, DEMO['operator-b']);
    const refused = await stream(event, await ticketOf(other.token));
    refused.close();
    expect(refused.status).toBe(403);
    const own = await stream(eventB, await ticketOf(other.token));
    try {
      expect(snapshot(await own.next((m) => m.event === 'snapshot')).halls[0]!.hall_id).toBe('HALL-B');
    } finally {
      own.close();
    }
  });

  it('is in the OpenAPI document with its query schema', async () => {
    const spec = (await t.app.inject({ method: 'GET', url: '/docs/json' })).json();
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/api/ops/live', '/api/ops/live/tickets']));
    const params = (spec.paths['/api/ops/live'].get.parameters as { name: string; required: boolean }[]).map((p) => [p.name, p.required]);
    expect(params).toEqual(
      expect.arrayContaining([
        ['event_id', true],
        ['ticket', true],
      ]),
    );
  });

  it('closes the stream when its session ends (logout), telling the console why', async () => {
    const op = await demoUser(t, DEMO.operator);
    const s = await stream(event, await ticketOf(op.token));
    await s.next((m) => m.event === 'snapshot');
    await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { authorization: `Bearer ${op.token}` }, payload: {} });
    const closed = await s.next((m) => m.event === 'closed');
    expect(opsLive.LiveClosed.parse(closed.data)).toEqual({ reason: 'session_ended' });
    await s.ended;
    expect(s.endedCleanly).toBe(true);
    expect(t.ctx.doorFeeds.streamCount).toBe(0);
  });
});

import pg from 'pg';
import { verifySync } from '@ticketgate/crypto';
import { sync } from '@ticketgate/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIVE_APPLICATION_NAME } from '../src/domain/live/live-bus.js';
import { DEMO, createTestApp, demoUser, type TestApp } from './helpers/app.js';
import { latestChange } from './helpers/db.js';
import {
  enrolGate,
  operatorHeaders,
  openStream,
  scan,
  soldSeats,
  startPeer,
  upcomingEvent,
  upload,
  type SseMessage,
  type TestGate,
} from './helpers/sync.js';

type Peer = Awaited<ReturnType<typeof startPeer>>;

describe('live stream (SSE) across server instances', () => {
  let t: TestApp;
  let urlA: string;
  let peer: Peer;
  let event: string;
  let seats: string[];
  let gateA: TestGate;
  let gateB: TestGate;
  const T = Date.now() - 600_000;

  beforeAll(async () => {
    t = await createTestApp({ seed: true });
    urlA = await t.app.listen({ host: '127.0.0.1', port: 0 });
    peer = await startPeer(t);
    event = await upcomingEvent(t);
    seats = await soldSeats(t, event, 20);
    gateA = await enrolGate(t, { name: 'Uploader' });
    gateB = await enrolGate(t, { name: 'Listener' });
  });
  afterAll(async () => {
    await peer.close();
    t.app.server.closeAllConnections();
    await t.close();
  });

  const isAdmission = (seatId: string) => (m: SseMessage) => m.event === 'admission' && (m.data as sync.Admission).seat_id === seatId;
  const seqOf = (id: string) => latestChange(t.ctx.pool, id);

  it('says hello, then the seq of every current event of the hall', async () => {
    const s = await openStream(urlA, gateB.token);
    try {
      expect(s.status).toBe(200);
      expect(s.contentType).toMatch(/^text\/event-stream/);
      const hello = await s.next();
      expect(hello.event).toBe('hello');
      const h = sync.HelloMessage.parse(hello.data);
      expect(h.device_id).toBe(gateB.deviceId);
      expect(Math.abs(Date.parse(h.server_time) - Date.now())).toBeLessThan(60_000);
      const first = await s.next();
      expect(first.event).toBe('seats');
      expect(sync.SeatsChangedMessage.parse(first.data)).toEqual({ event_id: event, seq: await seqOf(event) });
      // Each message is signed by the sync key over the stream's nonce, its index, its name and its JSON.
      const key = await t.ctx.syncKeys.activeKey();
      expect([hello.id, first.id]).toEqual(['0', '1']);
      for (const m of [hello, first]) expect(verifySync(key, m.sig, 'stream', s.nonce, m.json, [m.id!, m.event])).toEqual({ ok: true });
      // Renamed, renumbered or changed, it no longer verifies.
      expect(verifySync(key, first.sig, 'stream', s.nonce, first.json, [first.id!, 'admission']).ok).toBe(false);
      expect(verifySync(key, first.sig, 'stream', s.nonce, first.json, ['0', first.event]).ok).toBe(false);
      expect(
        verifySync(
          key,
          first.sig,
          'stream',
          s.nonce,
          first.json.replace(
            event,
            event.replace(/.$/, (c) => (c === '0' ? '1' : '0')),
          ),
          [first.id!, first.event],
        ).ok,
      ).toBe(false);
    } finally {
      s.close();
    }
  });

  it('a gate on instance B hears an admission uploaded to instance A, and the seat change', async () => {
    const s = await openStream(peer.url, gateB.token);
    try {
      await s.next((m) => m.event === 'seats');
      const seatId = seats[0]!;
      const res = await upload(t, gateA, [scan({ eventId: event, seatId, at: T })]);
      expect(res.statusCode).toBe(200);
      const admission = await s.next(isAdmission(seatId));
      expect(sync.AdmissionMessage.parse(admission.data)).toEqual({
        event_id: event,
        seat_id: seatId,
        scanned_at: new Date(T).toISOString(),
        device_id: gateA.deviceId,
        admitted_by: 'Uploader',
      });
      const seq = await seqOf(event);
      const changed = await s.next((m) => m.event === 'seats' && (m.data as { seq: number }).seq >= seq);
      expect(changed.data).toEqual({ event_id: event, seq });
    } finally {
      s.close();
    }
  });

  it("relays seat changes made by anyone's code (a plain UPDATE), and only to gates of the event's hall", async () => {
    const hallB = await enrolGate(t, { hallId: 'HALL-B' });
    const eventB = await upcomingEvent(t, 'HALL-B');
    const a = await openStream(peer.url, gateB.token);
    const b = await openStream(peer.url, hallB.token);
    try {
      await a.next((m) => m.event === 'seats');
      await b.next((m) => m.event === 'seats');
      await t.ctx.pool.query(`UPDATE seats SET generation = generation + 1 WHERE id = $1`, [seats[1]]);
      const seq = await seqOf(event);
      expect((await a.next((m) => m.event === 'seats')).data).toEqual({ event_id: event, seq });
      await t.ctx.pool.query(`UPDATE seats SET generation = generation + 1 WHERE event_id = $1 AND row_label = 'A' AND seat_number = 1`, [
        eventB,
      ]);
      // The HALL-B gate's next message is its own hall's change: HALL-A's never reached it.
      expect((await b.next()).data).toEqual({ event_id: eventB, seq: await seqOf(eventB) });
    } finally {
      a.close();
      b.close();
    }
  });

  it('coalesces a burst of seat changes of one event', async () => {
    const s = await openStream(peer.url, gateB.token);
    try {
      await s.next((m) => m.event === 'seats');
      await Promise.all(
        seats.slice(2, 12).map((id) => t.ctx.pool.query('UPDATE seats SET generation = generation + 1 WHERE id = $1', [id])),
      );
      const seq = await seqOf(event);
      await s.next((m) => m.event === 'seats' && (m.data as { seq: number }).seq === seq);
      const burst = s.messages.filter((m) => m.event === 'seats').length - 1;
      expect(burst).toBeGreaterThanOrEqual(1);
      expect(burst).toBeLessThan(10);
    } finally {
      s.close();
    }
  });

  it('only committed changes are heard', async () => {
    const staff = await demoUser(t, DEMO.staff);
    const s = await openStream(peer.url, gateB.token);
    const c = new pg.Client({ connectionString: t.databaseUrl });
    await c.connect();
    try {
      await s.next((m) => m.event === 'seats');
      const admit = (seatId: string) =>
        c.query(
          `INSERT INTO scans (staff_user_id, hall_id, event_id, seat_id, generation, result, scanned_at) VALUES ($1, 'HALL-A', $2, $3, 1, 'SUCCESS', now())`,
          [staff.id, event, seatId],
        );
      await c.query('BEGIN');
      await admit(seats[12]!);
      await c.query('ROLLBACK');
      await admit(seats[13]!);
      const first = await s.next((m) => m.event === 'admission');
      expect((first.data as sync.Admission).seat_id).toBe(seats[13]);
      expect((first.data as sync.Admission).admitted_by).toBe('online (staff)');
    } finally {
      await c.end();
      s.close();
    }
  });

  it('a revoked device gets `revoked` on its open stream, which closes; reconnecting is refused', async () => {
    const doomed = await enrolGate(t, { name: 'Doomed' });
    const s = await openStream(peer.url, doomed.token);
    await s.next((m) => m.event === 'seats');
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/sync/devices/${doomed.deviceId}/revoke`,
      headers: await operatorHeaders(t),
    });
    expect(res.statusCode).toBe(200);
    const revoked = await s.next((m) => m.event === 'revoked');
    expect(revoked.data).toEqual({ device_id: doomed.deviceId });
    await s.ended;
    expect(s.isEnded).toBe(true);
    const again = await openStream(peer.url, doomed.token);
    expect(again.status).toBe(403);
    expect(again.body).toMatchObject({ success: false, error_code: 'DEVICE_REVOKED' });
  });

  it('survives the loss of its LISTEN connection: reconnects, re-announces seqs, keeps delivering', async () => {
    const s = await openStream(peer.url, gateB.token);
    try {
      await s.next((m) => m.event === 'seats');
      const seatsBefore = s.messages.filter((m) => m.event === 'seats').length;
      const { rows } = await t.ctx.pool.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1`,
        [LIVE_APPLICATION_NAME],
      );
      expect(rows.length).toBeGreaterThanOrEqual(2);
      // The catch-up after reconnecting: one seats message per current event.
      await s.next((m) => m.event === 'seats' && s.messages.filter((x) => x.event === 'seats').length > seatsBefore, 20_000);
      const deadline = Date.now() + 20_000;
      while (!(t.ctx.live.listening && peer.ctx.live.listening) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const seatId = seats[14]!;
      await upload(t, gateA, [scan({ eventId: event, seatId, at: T })]);
      await s.next(isAdmission(seatId), 20_000);
    } finally {
      s.close();
    }
  });

  it('a gate that disconnects is unsubscribed', async () => {
    const until = async (cond: () => boolean) => {
      const deadline = Date.now() + 10_000;
      while (!cond() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      return cond();
    };
    // Streams of earlier tests were closed by their clients; the server notices on its own time.
    expect(await until(() => peer.ctx.live.subscriberCount === 0)).toBe(true);
    const s = await openStream(peer.url, gateB.token);
    await s.next((m) => m.event === 'seats');
    expect(peer.ctx.live.subscriberCount).toBe(1);
    s.close();
    expect(await until(() => peer.ctx.live.subscriberCount === 0)).toBe(true);
  });

  it('shutting down ends open streams cleanly: stopping the bus, or closing the app', async () => {
    const other = await startPeer(t);
    const s = await openStream(other.url, gateB.token);
    await s.next((m) => m.event === 'hello');
    await other.ctx.live.stop();
    await s.ended;
    expect(s.endedCleanly).toBe(true);
    await other.close();

    const third = await startPeer(t);
    const s2 = await openStream(third.url, gateB.token);
    await s2.next((m) => m.event === 'hello');
    // app.close() alone: the preClose hook ends the stream, or close would wait for ever.
    const closing = third.app.close();
    await s2.ended;
    expect(s2.endedCleanly).toBe(true);
    third.app.server.closeAllConnections();
    await closing;
    await third.close();
  });

  it('an instance that is not listening refuses streams', async () => {
    const idle = await startPeer(t);
    await idle.ctx.live.stop();
    const refused = await openStream(idle.url, gateB.token);
    expect(refused.status).toBe(503);
    expect(refused.body).toMatchObject({ error_code: 'SERVICE_UNAVAILABLE' });
    await idle.close();
  });
});

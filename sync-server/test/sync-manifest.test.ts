import { gunzipSync } from 'node:zlib';
import pg from 'pg';
import { decodeIssuingPublicKey, generateDeviceKeyPair, openGateKey } from '@ticketgate/crypto';
import { sync } from '@ticketgate/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { latestChange } from './helpers/db.js';
import { enrolGate, upcomingEvent, type TestGate } from './helpers/sync.js';

const DAY = 24 * 3600 * 1000;

describe('hall manifest and seat deltas', () => {
  let t: TestApp;
  let gate: TestGate;
  let event: string;
  beforeAll(async () => {
    t = await createTestApp({ seed: true });
    gate = await enrolGate(t, { name: 'North Gate' });
    event = await upcomingEvent(t);
  });
  afterAll(async () => t.close());

  const pull = async (eventId: string, since: number, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'GET', url: `/api/sync/events/${eventId}/seats?since=${since}`, headers: { ...gate.headers, ...headers } });
  const delta = async (eventId: string, since: number) => {
    const res = await pull(eventId, since);
    expect(res.statusCode).toBe(200);
    return sync.SeatDelta.parse(res.json().data);
  };
  const eventSeq = (eventId: string) => latestChange(t.ctx.pool, eventId);

  it("lists the hall's current events (up to a day past) with seq, sealed gate keys and issuing keys", async () => {
    const { rows: extra } = await t.ctx.pool.query<{ id: string; hall_id: string; event_date: Date }>(
      `INSERT INTO events (venue_id, hall_id, name, event_date)
       SELECT venue_id, 'HALL-A', n, $1::timestamptz + d FROM halls,
         (VALUES ('Matinee (12 h ago)', interval '0'), ('Yesterday (36 h ago)', interval '-24 hours')) AS v(n, d)
        WHERE halls.id = 'HALL-A' RETURNING id, hall_id, event_date`,
      [new Date(t.clock.now() - DAY / 2)],
    );
    const res = await t.app.inject({ method: 'GET', url: '/api/sync/hall', headers: gate.headers });
    expect(res.statusCode).toBe(200);
    const m = sync.HallManifest.parse(res.json().data);
    expect(m).toMatchObject({
      hall_id: 'HALL-A',
      hall_name: 'Main Arena',
      venue_name: 'Singapore Indoor Stadium',
      device_id: gate.deviceId,
      device_name: 'North Gate',
    });
    expect(Math.abs(Date.parse(m.server_time) - Date.now())).toBeLessThan(60_000);
    // Every hall by name, for a WRONG_HALL verdict that sends the fan on by name.
    const { rows: halls } = await t.ctx.pool.query<{ id: string; name: string }>('SELECT id, name FROM halls ORDER BY id');
    expect(halls.length).toBeGreaterThan(1);
    expect(m.halls.map((h) => [h.hall_id, h.hall_name])).toEqual(halls.map((h) => [h.id, h.name]));
    expect(m.halls.find((h) => h.hall_id === 'HALL-A')).toEqual({
      hall_id: 'HALL-A',
      hall_name: 'Main Arena',
      venue_name: 'Singapore Indoor Stadium',
    });
    const names = m.events.map((e) => e.name);
    expect(names).toEqual(['Matinee (12 h ago)', 'TicketGate Live: Arena Night']);
    expect(m.events.find((e) => e.event_id === event)!.seq).toBe(await eventSeq(event));
    expect(m.events.map((e) => e.event_id)).not.toContain(extra.find((e) => e.event_date.getTime() < t.clock.now() - DAY)!.id);

    for (const e of m.events) {
      expect(e.gate_keys).toHaveLength(1);
      const opened = openGateKey(e.gate_keys[0]!.sealed, gate.keys);
      const server = await t.ctx.keys.gateKeyFor(e.event_id);
      expect(opened.kid).toBe(server.kid);
      expect(e.gate_keys[0]!.kid).toBe(server.kid);
      expect(Buffer.from(opened.key).equals(Buffer.from(server.key))).toBe(true);
      // Sealed to this device: anyone else's key pair cannot open it.
      expect(() => openGateKey(e.gate_keys[0]!.sealed, generateDeviceKeyPair())).toThrow();
    }
    const issuing = m.issuing_keys.map(decodeIssuingPublicKey);
    expect(issuing.map((k) => k.kid)).toContain((await t.ctx.keys.activeIssuingKey()).kid);
  });

  it('each gate gets the key sealed to its own box key', async () => {
    const other = await enrolGate(t);
    const mine = sync.HallManifest.parse((await t.app.inject({ method: 'GET', url: '/api/sync/hall', headers: gate.headers })).json().data);
    const theirs = sync.HallManifest.parse(
      (await t.app.inject({ method: 'GET', url: '/api/sync/hall', headers: other.headers })).json().data,
    );
    const sealedFor = (m: sync.HallManifest) => m.events.find((e) => e.event_id === event)!.gate_keys[0]!.sealed;
    expect(() => openGateKey(sealedFor(theirs), gate.keys)).toThrow();
    expect(openGateKey(sealedFor(theirs), other.keys).kid).toBe(openGateKey(sealedFor(mine), gate.keys).kid);
  });

  it('since=0 is the full snapshot of tuples with the consistent cursor', async () => {
    const d = await delta(event, 0);
    expect(d.full).toBe(true);
    expect(d.since).toBe(0);
    expect(d.cursor).toBeGreaterThanOrEqual(await eventSeq(event));
    expect(d.seats).toHaveLength(5000);
    expect(new Set(d.seats.map((s) => s[0])).size).toBe(5000);
    const [id, row, number, category, status, generation, holder, admittedAt, admittedBy] = d.seats.find(
      (s) => s[1] === 'A' && s[2] === 1,
    )!;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect({ row, number, category, status, generation, holder, admittedAt, admittedBy }).toEqual({
      row: 'A',
      number: 1,
      category: 'CAT1',
      status: 'AVAILABLE',
      generation: 1,
      holder: null,
      admittedAt: null,
      admittedBy: null,
    });
  });

  it('is gzip-encoded when the gate accepts it, and plain JSON otherwise', async () => {
    const plain = await pull(event, 0);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers['content-type']).toMatch(/^application\/json/);
    const zipped = await pull(event, 0, { 'accept-encoding': 'gzip, deflate' });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.rawPayload.length).toBeLessThan(plain.rawPayload.length / 2);
    const unzipped = JSON.parse(gunzipSync(zipped.rawPayload).toString('utf8'));
    expect(unzipped.data.seats).toEqual(plain.json().data.seats);
    expect(unzipped.success).toBe(true);
  });

  it('since=N returns only the seats changed after N, with their new state', async () => {
    const before = (await delta(event, 0)).cursor;
    const { rows: fan } = await t.ctx.pool.query<{ id: string }>(`SELECT id FROM users WHERE email = 'fan@demo.ticketgate.test'`);
    const { rows: changed } = await t.ctx.pool.query<{ id: string; seq: number }>(
      `UPDATE seats SET status = 'SOLD', owner_user_id = $2 WHERE id IN
         (SELECT id FROM seats WHERE event_id = $1 AND row_label = 'B' AND seat_number <= 3) RETURNING id, seq`,
      [event, fan[0]!.id],
    );
    const d = await delta(event, before);
    expect(d.full).toBe(false);
    expect(d.since).toBe(before);
    // One transaction, one change position, above the old cursor and within the new one.
    expect(new Set(changed.map((c) => c.seq)).size).toBe(1);
    expect(changed[0]!.seq).toBeGreaterThan(before);
    expect(d.cursor).toBeGreaterThanOrEqual(changed[0]!.seq);
    expect(d.seats.map((s) => s[0]).sort()).toEqual(changed.map((c) => c.id).sort());
    expect(d.seats.every((s) => s[4] === 'SOLD' && s[6] === 'Demo Fan')).toBe(true);

    const none = await delta(event, d.cursor);
    expect(none).toMatchObject({ full: false, seats: [] });
    expect(none.cursor).toBeGreaterThanOrEqual(d.cursor);
  });

  it('a cursor ahead of the server (restored database) gets a full snapshot', async () => {
    const now = (await delta(event, 0)).cursor;
    const d = await delta(event, now + 1_000_000);
    expect(d.full).toBe(true);
    expect(d.cursor).toBeGreaterThanOrEqual(now);
    expect(d.cursor).toBeLessThan(now + 1_000_000);
    expect(d.seats).toHaveLength(5000);
  });

  it("refuses another hall's event, unknown events and malformed parameters", async () => {
    const other = await pull(await upcomingEvent(t, 'HALL-B'), 0);
    expect(other.statusCode).toBe(403);
    expect(other.json().error_code).toBe('FORBIDDEN');
    const unknown = await pull('00000000-0000-4000-8000-000000000000', 0);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error_code).toBe('EVENT_NOT_FOUND');
    expect((await t.app.inject({ method: 'GET', url: '/api/sync/events/xyz/seats', headers: gate.headers })).json().error_code).toBe(
      'INVALID_UUID',
    );
    expect((await pull(event, -1)).json().error_code).toBe('VALIDATION_ERROR');
  });

  it('a change still uncommitted during a pull is not in it, and comes with the next delta', async () => {
    const start = (await delta(event, 0)).cursor;
    const writer = new pg.Client({ connectionString: t.databaseUrl });
    await writer.connect();
    try {
      await writer.query('BEGIN');
      const { rows } = await writer.query<{ id: string; seq: number }>(
        `UPDATE seats SET generation = generation + 1 WHERE event_id = $1 AND row_label = 'C' AND seat_number = 7 RETURNING id, seq`,
        [event],
      );
      expect(rows[0]!.seq).toBeGreaterThan(start);
      // The writer is in flight: a pull must neither wait for it nor move its cursor up to the writer's position.
      const during = await delta(event, start);
      expect(during.cursor).toBeGreaterThanOrEqual(start);
      expect(during.cursor).toBeLessThan(rows[0]!.seq);
      expect(during.seats).toEqual([]);
      await writer.query('COMMIT');
      const after = await delta(event, during.cursor);
      expect(after.cursor).toBeGreaterThanOrEqual(rows[0]!.seq);
      expect(after.seats.map((s) => [s[0], s[5]])).toEqual([[rows[0]!.id, 2]]);
    } finally {
      await writer.query('ROLLBACK').catch(() => {});
      await writer.end();
    }
  });

  it('a gate pulling deltas while seats change concurrently ends with exactly the server state', async () => {
    const { rows: seatRows } = await t.ctx.pool.query<{ id: string }>(
      `SELECT id FROM seats WHERE event_id = $1 AND row_label IN ('D', 'E') ORDER BY row_label, seat_number`,
      [event],
    );
    const ids = seatRows.map((r) => r.id);
    const mirror = new Map<string, string>();
    let cursor = 0;
    const apply = async () => {
      const d = await delta(event, cursor);
      if (d.full) mirror.clear();
      for (const s of d.seats) mirror.set(s[0], JSON.stringify(s));
      expect(d.cursor).toBeGreaterThanOrEqual(cursor);
      cursor = d.cursor;
    };
    await apply();

    let writing = true;
    const writer = async (w: number) => {
      for (let i = 0; i < 40; i++) {
        const pick = [ids[(w * 37 + i * 11) % ids.length]!, ids[(w * 53 + i * 7) % ids.length]!];
        const c = await t.ctx.pool.connect();
        try {
          await c.query('BEGIN');
          for (const id of pick.sort()) await c.query('UPDATE seats SET generation = generation + 1 WHERE id = $1', [id]);
          await c.query('COMMIT');
        } catch (err) {
          await c.query('ROLLBACK');
          if ((err as { code?: string }).code !== '40P01') throw err;
        } finally {
          c.release();
        }
      }
    };
    const writers = Promise.all([0, 1, 2, 3].map(writer)).finally(() => (writing = false));
    let pulls = 0;
    while (writing) {
      await apply();
      pulls++;
    }
    await writers;
    await apply();
    expect(pulls).toBeGreaterThan(1);

    const truth = await delta(event, 0);
    expect(truth.cursor).toBeGreaterThanOrEqual(cursor);
    expect(mirror.size).toBe(truth.seats.length);
    for (const s of truth.seats) expect(mirror.get(s[0])).toBe(JSON.stringify(s));
  });
});

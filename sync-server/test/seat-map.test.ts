import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, createTestApp, demoUser, type TestApp } from './helpers/app.js';
import { ARENA, call, eventIdOf, freeSeats } from './helpers/commerce.js';
import { startPeer } from './helpers/sync.js';

describe('seat map for the rush: cache, compression, ETag, compact form, deltas', () => {
  let t: TestApp;
  let arena: string;
  let seats: string[];
  let fan: Awaited<ReturnType<typeof demoUser>>;
  const map = (headers: Record<string, string> = {}, query = '') =>
    t.app.inject({ method: 'GET', url: `/api/events/${arena}${query}`, headers });
  const statusOf = (body: { data: { seats: { seat_id: string; status: string }[] } }, id: string) =>
    body.data.seats.find((s) => s.seat_id === id)!.status;

  beforeAll(async () => {
    t = await createTestApp({ seed: true });
    arena = await eventIdOf(t, ARENA);
    seats = await freeSeats(t, ARENA, 10, { category: 'CAT3' });
    fan = await demoUser(t, DEMO.fan);
  });
  afterAll(async () => t?.close());

  it('answers 304 to If-None-Match while nothing changed, and the new map right after a reservation', async () => {
    const first = await map();
    expect(first.statusCode).toBe(200);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[\w-]{27}"$/); // strong: no W/
    expect(first.headers['cache-control']).toBe('no-cache');
    expect(Number(first.headers['x-change-cursor'])).toBeGreaterThan(0);

    const again = await map({ 'if-none-match': etag });
    expect(again.statusCode).toBe(304);
    expect(again.rawPayload.length).toBe(0);
    expect(again.headers['content-length'] ?? '0').toBe('0');
    expect(again.headers.etag).toBe(etag);
    expect((await map({ 'if-none-match': '"something-else", W/' + etag })).statusCode).toBe(304);
    expect((await map({ 'if-none-match': '"something-else"' })).statusCode).toBe(200);

    // The fan's own reservation shows in the very next read, on this instance.
    expect((await call(t, 'POST', '/api/reserve', fan.token, { seat_id: seats[0] })).statusCode).toBe(200);
    const after = await map({ 'if-none-match': etag });
    expect(after.statusCode).toBe(200);
    expect(after.headers.etag).not.toBe(etag);
    expect(statusOf(after.json(), seats[0]!)).toBe('HELD');
  });

  it('is compressed once, brotli or gzip by Accept-Encoding, each with its own ETag, the same content underneath', async () => {
    const plain = await map();
    const br = await map({ 'accept-encoding': 'gzip, deflate, br' });
    const gz = await map({ 'accept-encoding': 'gzip, br;q=0' });
    const none = await map({ 'accept-encoding': 'br;q=0, gzip;q=0' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(none.headers['content-encoding']).toBeUndefined();
    expect(br.headers.vary).toMatch(/accept-encoding/i);
    expect(new Set([plain.headers.etag, br.headers.etag, gz.headers.etag]).size).toBe(3);
    expect(none.headers.etag).toBe(plain.headers.etag);
    expect(br.rawPayload.length).toBeLessThan(plain.rawPayload.length / 5);
    expect(brotliDecompressSync(br.rawPayload).equals(plain.rawPayload)).toBe(true);
    expect(gunzipSync(gz.rawPayload).equals(plain.rawPayload)).toBe(true);
    // A revalidation with the brotli tag is a match whatever coding the answer would use.
    expect((await map({ 'if-none-match': br.headers.etag as string })).statusCode).toBe(304);
  });

  it('follows the clock: a hold that runs out shows as AVAILABLE without any write', async () => {
    const before = await map();
    expect(statusOf(before.json(), seats[0]!)).toBe('HELD');
    t.clock.advance(301_000);
    try {
      const later = await map({ 'if-none-match': before.headers.etag as string });
      expect(later.statusCode).toBe(200);
      expect(statusOf(later.json(), seats[0]!)).toBe('AVAILABLE');
    } finally {
      t.clock.real();
    }
  });

  it('notices changes made by anyone: a plain UPDATE of a seat, and of a price', async () => {
    const before = await map();
    await t.ctx.pool.query(`UPDATE seats SET status = 'SOLD', owner_user_id = $2 WHERE id = $1`, [seats[1], fan.id]);
    const sold = await map({ 'if-none-match': before.headers.etag as string });
    expect(sold.statusCode).toBe(200);
    expect(statusOf(sold.json(), seats[1]!)).toBe('SOLD');
    await t.ctx.pool.query(`UPDATE event_categories SET price_cents = price_cents + 1 WHERE event_id = $1 AND category = 'CAT3'`, [arena]);
    const repriced = await map({ 'if-none-match': sold.headers.etag as string });
    expect(repriced.statusCode).toBe(200);
    expect(repriced.json().data.pricing_tiers.CAT3).toBe(120.01);
  });

  it('serves the compact form beside the default shape: one status letter per seat, and the cursor to follow it', async () => {
    const full = (await map()).json().data;
    const res = await map({}, '?format=compact');
    expect(res.statusCode).toBe(200);
    const compact = res.json().data;
    expect(compact).toMatchObject({ event_id: arena, total_seats: 5000, pricing_tiers: full.pricing_tiers });
    expect(compact.cursor).toBe(Number(res.headers['x-change-cursor']));
    const flat = compact.rows.flatMap(
      (r: { row_number: string; seat_ids: string[]; seat_numbers: number[]; categories: string[]; status: string }) =>
        r.seat_ids.map((id, i) => ({
          seat_id: id,
          row_number: r.row_number,
          seat_number: r.seat_numbers[i],
          category: r.categories[i],
          status: r.status[i],
        })),
    );
    const letter = { AVAILABLE: 'A', HELD: 'H', SOLD: 'S', CHECKED_IN: 'C' } as Record<string, string>;
    expect(flat).toEqual(
      full.seats.map((s: { seat_id: string; row_number: string; seat_number: number; category: string; status: string }) => ({
        seat_id: s.seat_id,
        row_number: s.row_number,
        seat_number: s.seat_number,
        category: s.category,
        status: letter[s.status],
      })),
    );
    expect(res.rawPayload.length).toBeLessThan(JSON.stringify({ success: true, data: full }).length / 2);

    // The fan app follows the map with deltas from its cursor.
    expect((await call(t, 'POST', '/api/reserve', fan.token, { seat_id: seats[2] })).statusCode).toBe(200);
    const delta = await t.app.inject({ method: 'GET', url: `/api/events/${arena}/seats?since=${compact.cursor}` });
    expect(delta.statusCode).toBe(200);
    const d = delta.json().data;
    expect(d).toMatchObject({ event_id: arena, since: compact.cursor, full: false });
    expect(d.cursor).toBeGreaterThanOrEqual(compact.cursor);
    expect(d.seats).toContainEqual({ seat_id: seats[2], status: 'HELD' });
    const next = (await t.app.inject({ method: 'GET', url: `/api/events/${arena}/seats?since=${d.cursor}` })).json().data;
    expect(next.seats).toEqual([]);
    const everything = (await t.app.inject({ method: 'GET', url: `/api/events/${arena}/seats?since=0` })).json().data;
    expect(everything.full).toBe(true);
    expect(everything.seats).toHaveLength(5000);
  });

  it("refuses bad input with the protocol's error codes", async () => {
    expect((await map({}, '?format=xml')).json().error_code).toBe('VALIDATION_ERROR');
    expect((await t.app.inject({ method: 'GET', url: `/api/events/${arena}/seats?since=-1` })).json().error_code).toBe('VALIDATION_ERROR');
    const missing = await t.app.inject({ method: 'GET', url: '/api/events/00000000-0000-4000-8000-000000000000' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error_code).toBe('EVENT_NOT_FOUND');
    expect((await t.app.inject({ method: 'GET', url: '/api/events/00000000-0000-4000-8000-000000000000/seats' })).json().error_code).toBe(
      'EVENT_NOT_FOUND',
    );
  });

  it('gives the same content the same ETag on another instance (a load balancer may alternate)', async () => {
    const peer = await startPeer(t);
    try {
      const here = await map({ 'accept-encoding': 'br' });
      const there = await peer.app.inject({
        method: 'GET',
        url: `/api/events/${arena}`,
        headers: { 'accept-encoding': 'br', 'if-none-match': here.headers.etag as string },
      });
      expect(there.statusCode).toBe(304);
      expect(there.headers.etag).toBe(here.headers.etag);
    } finally {
      await peer.close();
    }
  });
});

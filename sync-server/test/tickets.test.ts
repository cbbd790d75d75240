import { randomUUID } from 'node:crypto';
import { decodeQrPng } from '@ticketgate/crypto/qr-image';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, createTestApp, demoUser, type TestApp } from './helpers/app.js';
import { ARENA, CHAMBER, buySeat, call, eventIdOf, freeSeats } from './helpers/commerce.js';

type User = { id: string; token: string };

describe('tickets and their QR', () => {
  let t: TestApp;
  let fan: User;
  let fan2: User;
  let cat1: string;
  let stalls: string;
  let usedSeat: string;
  let fan2Seat: string;

  beforeAll(async () => {
    t = await createTestApp({ seed: true });
    [fan, fan2] = await Promise.all([demoUser(t, DEMO.fan), demoUser(t, DEMO.fan2)]);
    [cat1] = (await freeSeats(t, ARENA, 1, { category: 'CAT1' })) as [string];
    [stalls] = (await freeSeats(t, CHAMBER, 1, { category: 'STALLS' })) as [string];
    [usedSeat, fan2Seat] = (await freeSeats(t, ARENA, 2, { category: 'CAT3' })) as [string, string];
    await buySeat(t, fan.token, cat1);
    await buySeat(t, fan.token, stalls);
    await buySeat(t, fan.token, usedSeat);
    await buySeat(t, fan2.token, fan2Seat);
    await t.ctx.pool.query(`UPDATE seats SET status = 'CHECKED_IN', checked_in_at = now() WHERE id = $1`, [usedSeat]);
  });
  afterAll(async () => t?.close());

  describe('GET /api/tickets', () => {
    it("lists the caller's SOLD and CHECKED_IN seats with event, price paid and purchase time", async () => {
      const res = await call(t, 'GET', '/api/tickets', fan.token);
      expect(res.statusCode).toBe(200);
      const tickets = res.json().data;
      expect(tickets.map((x: { seat_id: string }) => x.seat_id).sort()).toEqual([cat1, stalls, usedSeat].sort());
      const { rows } = await t.ctx.pool.query(`SELECT confirmed_at FROM orders WHERE seat_id = $1 AND status = 'CONFIRMED'`, [cat1]);
      const arena = tickets.find((x: { seat_id: string }) => x.seat_id === cat1);
      expect(arena).toEqual({
        seat_id: cat1,
        event: { event_id: await eventIdOf(t, ARENA), name: ARENA, event_date: expect.any(String), hall_id: 'HALL-A' },
        row_number: 'A',
        seat_number: expect.any(Number),
        category: 'CAT1',
        status: 'SOLD',
        price_paid: 350,
        purchased_at: rows[0].confirmed_at.toISOString(),
      });
      expect(tickets.find((x: { seat_id: string }) => x.seat_id === stalls)).toMatchObject({
        price_paid: 80,
        event: { hall_id: 'HALL-B' },
      });
      expect(tickets.find((x: { seat_id: string }) => x.seat_id === usedSeat).status).toBe('CHECKED_IN');
      // Sorted by event date: the Chamber Evening (in 14 days) comes before the Arena Night (in 30).
      expect(tickets[0].seat_id).toBe(stalls);
    });

    it('shows a ticket bought from another fan with the transfer price and time, and not to the seller any more', async () => {
      const [gift] = (await freeSeats(t, ARENA, 1, { category: 'CAT2' })) as [string];
      await buySeat(t, fan2.token, gift);
      const completedAt = new Date('2030-01-02T03:04:05.000Z');
      await t.ctx.pool.query(`UPDATE seats SET owner_user_id = $2, generation = generation + 1 WHERE id = $1`, [gift, fan.id]);
      await t.ctx.pool.query(
        `INSERT INTO transfers (seat_id, seller_id, buyer_id, initiated_by, amount_cents, status, expires_at, completed_at)
         VALUES ($1, $2, $3, $2, 150_00, 'COMPLETED', now(), $4)`,
        [gift, fan2.id, fan.id, completedAt],
      );
      const mine = (await call(t, 'GET', '/api/tickets', fan.token)).json().data;
      expect(mine.find((x: { seat_id: string }) => x.seat_id === gift)).toMatchObject({
        price_paid: 150,
        purchased_at: completedAt.toISOString(),
      });
      const theirs = (await call(t, 'GET', '/api/tickets', fan2.token)).json().data;
      expect(theirs.map((x: { seat_id: string }) => x.seat_id)).toEqual([fan2Seat]);
    });

    it('is empty for a user without tickets (held seats are not tickets); UNAUTHORIZED without a token', async () => {
      const staff = await demoUser(t, DEMO.staff);
      expect((await call(t, 'GET', '/api/tickets', staff.token)).json()).toEqual({ success: true, data: [] });
      const [held] = (await freeSeats(t, ARENA, 1, { category: 'CAT3' })) as [string];
      await call(t, 'POST', '/api/reserve', staff.token, { seat_id: held });
      expect((await call(t, 'GET', '/api/tickets', staff.token)).json().data).toEqual([]);
      expect((await call(t, 'GET', '/api/tickets')).statusCode).toBe(401);
    });
  });

  describe('GET /api/tickets/{seat_id}/qr', () => {
    it('issues a 60-second Base32 credential the server itself verifies for this seat', async () => {
      const res = await call(t, 'GET', `/api/tickets/${cat1}/qr`, fan.token);
      expect(res.statusCode).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
      const data = res.json().data;
      expect(data.qr_payload).toMatch(/^[A-Z2-7]+$/);
      expect(data.ttl_seconds).toBe(60);
      const generated = Date.parse(data.generated_at);
      expect(Date.parse(data.expires_at) - generated).toBe(60_000);
      expect(Math.abs(generated - t.clock.now())).toBeLessThan(2_000);

      const outcome = await t.ctx.keys.verify(data.qr_payload, t.clock.now());
      expect(outcome.status).toBe('valid');
      if (outcome.status !== 'valid') return;
      expect(outcome.claims).toEqual({
        seatId: cat1,
        eventId: await eventIdOf(t, ARENA),
        hallCode: 'HALL-A',
        generation: 1,
        issuedAt: generated / 1000,
      });
      // A fresh one on every call.
      const again = (await call(t, 'GET', `/api/tickets/${cat1}/qr`, fan.token)).json().data;
      expect(again.qr_payload).not.toBe(data.qr_payload);
    });

    it('renders the QR itself with ?format=png or ?format=svg', async () => {
      const png = await call(t, 'GET', `/api/tickets/${stalls}/qr?format=png`, fan.token);
      expect(png.statusCode).toBe(200);
      expect(png.headers['content-type']).toBe('image/png');
      expect(png.headers['x-qr-ttl-seconds']).toBe('60');
      const text = decodeQrPng(png.rawPayload);
      expect(text).toMatch(/^[A-Z2-7]+$/);
      expect((await t.ctx.keys.verify(text!, t.clock.now())).status).toBe('valid');

      const svg = await call(t, 'GET', `/api/tickets/${stalls}/qr?format=svg`, fan.token);
      expect(svg.headers['content-type']).toMatch(/^image\/svg\+xml/);
      expect(svg.body).toContain('<svg');
      expect((await call(t, 'GET', `/api/tickets/${stalls}/qr?format=gif`, fan.token)).json().error_code).toBe('VALIDATION_ERROR');
    });

    it("NOT_SEAT_OWNER (403) for someone else's ticket or a seat nobody owns", async () => {
      const res = await call(t, 'GET', `/api/tickets/${fan2Seat}/qr`, fan.token);
      expect(res.statusCode).toBe(403);
      expect(res.json().error_code).toBe('NOT_SEAT_OWNER');
      expect(res.body).not.toMatch(/qr_payload/);
      const [free] = (await freeSeats(t, ARENA, 1)) as [string];
      expect((await call(t, 'GET', `/api/tickets/${free}/qr`, fan.token)).json().error_code).toBe('NOT_SEAT_OWNER');
    });

    it('SEAT_UNAVAILABLE (409) for a seat the caller only holds, or a ticket already used', async () => {
      const [held] = (await freeSeats(t, ARENA, 1, { category: 'CAT3' })) as [string];
      await call(t, 'POST', '/api/reserve', fan.token, { seat_id: held });
      const res = await call(t, 'GET', `/api/tickets/${held}/qr`, fan.token);
      expect(res.statusCode).toBe(409);
      expect(res.json().error_code).toBe('SEAT_UNAVAILABLE');
      expect((await call(t, 'GET', `/api/tickets/${usedSeat}/qr`, fan.token)).json()).toMatchObject({
        error_code: 'SEAT_UNAVAILABLE',
        message: expect.stringMatching(/already been used/),
      });
    });

    it('SEAT_NOT_FOUND (404), INVALID_UUID (400), UNAUTHORIZED (401)', async () => {
      const missing = await call(t, 'GET', `/api/tickets/${randomUUID()}/qr`, fan.token);
      expect(missing.statusCode).toBe(404);
      expect(missing.json().error_code).toBe('SEAT_NOT_FOUND');
      const bad = await call(t, 'GET', '/api/tickets/not-a-seat/qr', fan.token);
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error_code).toBe('INVALID_UUID');
      expect((await call(t, 'GET', `/api/tickets/${cat1}/qr`)).statusCode).toBe(401);
    });
  });
});

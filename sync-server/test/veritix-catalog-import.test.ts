import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, createTestApp, demoUser, type TestApp } from './helpers/app.js';

type Actor = Awaited<ReturnType<typeof demoUser>>;
const DAY = 24 * 3600 * 1000;
const HEADER = 'hall_id,name,event_date,event_type,city,description,prices';

describe('events gain description, type and city: operator catalogue and CSV import', () => {
  let t: TestApp;
  let operator: Actor, fan: Actor;
  const future = (days: number) => new Date(Date.now() + days * DAY).toISOString();
  const csv = (text: string, token = operator.token) =>
    t.app.inject({
      method: 'POST',
      url: '/api/ops/events/import',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
      payload: text,
    });
  const search = async (query: string) => (await t.app.inject({ method: 'POST', url: '/api/search-events', payload: { query } })).json();

  beforeAll(async () => {
    t = await createTestApp({ seed: true });
    [operator, fan] = (await Promise.all([DEMO.operator, DEMO.fan].map((e) => demoUser(t, e)))) as [Actor, Actor];
  });
  afterAll(async () => t.close());

  it('imports events from CSV, quoted fields included, and search finds them', async () => {
    const file = [
      HEADER,
      `HALL-B,Gamelan Evening,${future(12)},music,,"Bronze gongs, drums and voices from Bali",STALLS=60;CIRCLE=35.50`,
      `HALL-A,Netball Invitational,${future(15)},sport,Kallang,"Four national teams, one weekend",GA=20`,
      '',
    ].join('\r\n');
    const res = await csv(file);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().data.imported).toBe(2);
    const { rows } = await t.ctx.pool.query('SELECT name, event_type, city, description FROM events WHERE id = ANY($1) ORDER BY name', [
      res.json().data.event_ids,
    ]);
    expect(rows).toEqual([
      { name: 'Gamelan Evening', event_type: 'music', city: 'Singapore', description: 'Bronze gongs, drums and voices from Bali' },
      { name: 'Netball Invitational', event_type: 'sport', city: 'Kallang', description: 'Four national teams, one weekend' },
    ]);
    expect((await search('gongs from Bali')).results[0].name).toBe('Gamelan Evening');
    expect((await search('sport in Kallang')).results.map((r: { name: string }) => r.name)).toEqual(['Netball Invitational']);
  });

  it('names every bad line and imports nothing', async () => {
    const before = (await t.ctx.pool.query('SELECT count(*)::int AS n FROM events')).rows[0].n;
    const file = [
      HEADER,
      `HALL-B,Fine,${future(5)},music,,ok,GA=10`,
      `HALL-B,Past,2020-01-01T00:00:00Z,music,,x,GA=10`,
      `HALL-B,Typo,${future(5)},musik,,x,GA=10.001`,
      'HALL-B,Short',
    ].join('\n');
    const res = await csv(file);
    expect(res.statusCode).toBe(400);
    expect(res.json().details.map((d: { field: string }) => d.field)).toEqual(['line 3', 'line 4', 'line 5']);
    expect((await t.ctx.pool.query('SELECT count(*)::int AS n FROM events')).rows[0].n).toBe(before);
    const unknownHall = await csv(`${HEADER}\nHALL-Z,Nowhere,${future(5)},talk,,x,GA=1`);
    expect([unknownHall.statusCode, unknownHall.json().error_code]).toEqual([404, 'HALL_NOT_FOUND']);
    expect((await csv('name,date\nx,y')).json().error_code).toBe('VALIDATION_ERROR');
    expect((await csv(`${HEADER}\nHALL-B,"Open quote,${future(5)},music,,x,GA=1`)).json().details[0].field).toBe('line 2');
    expect((await csv(`${HEADER}\n`, fan.token)).statusCode).toBe(403);
  });

  it("an operator imports only into their own venues' halls: a file naming another venue's hall imports nothing", async () => {
    // The attack: operator-b (the theatre's operator only) slips an event into the stadium's hall.
    const other = await demoUser(t, DEMO['operator-b']);
    const before = (await t.ctx.pool.query('SELECT count(*)::int AS n FROM events')).rows[0].n;
    const file = [HEADER, `HALL-B,Own Show,${future(6)},music,,x,GA=10`, `HALL-A,Planted Show,${future(6)},music,,x,GA=10`].join('\n');
    const res = await csv(file, other.token);
    expect([res.statusCode, res.json().error_code]).toEqual([403, 'FORBIDDEN']);
    expect(res.json().details).toEqual([{ field: 'line 3', message: 'hall HALL-A belongs to a venue you are not assigned to' }]);
    expect((await t.ctx.pool.query('SELECT count(*)::int AS n FROM events')).rows[0].n).toBe(before);
    // Their own hall alone imports.
    const own = await csv([HEADER, `HALL-B,Own Show,${future(6)},music,,x,GA=10`].join('\n'), other.token);
    expect(own.statusCode, own.body).toBe(201);
  });

  it('the operator catalogue takes description, type and city, and validates the type', async () => {
    const venue = (
      await t.app.inject({ method: 'GET', url: '/api/ops/venues', headers: { authorization: `Bearer ${operator.token}` } })
    ).json().data[0];
    const base = {
      venue_id: venue.venue_id,
      hall_id: venue.halls[0].hall_id,
      name: 'Ops Comedy',
      event_date: future(9),
      pricing_tiers: { GA: 15 },
    };
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/ops/events',
      headers: { authorization: `Bearer ${operator.token}` },
      payload: { ...base, event_type: 'comedy', description: 'Improvised sketches' },
    });
    expect(res.json().data).toMatchObject({ event_type: 'comedy', description: 'Improvised sketches', city: 'Singapore' });
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/ops/events',
      headers: { authorization: `Bearer ${operator.token}` },
      payload: { ...base, event_type: 'circus' },
    });
    expect(bad.json().error_code).toBe('VALIDATION_ERROR');
  });
});

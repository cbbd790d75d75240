import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoCatalog } from '../src/db/seed-catalog.js';
import { parseDatePhrase } from '../src/domain/search/date-phrases.js';
import { createTestApp, type TestApp } from './helpers/app.js';

const DAY = 24 * 3600 * 1000;
interface Result {
  id: string;
  name: string;
  event_type: string;
  location: string;
  date: string;
  starts_at: string;
  price: number;
  capacity: number;
}

describe('POST /api/search-events on the demo catalogue', () => {
  let t: TestApp;
  let wednesday: number;
  const search = async (query: string) => {
    const res = await t.app.inject({ method: 'POST', url: '/api/search-events', payload: { query } });
    expect(res.statusCode).toBe(200);
    return res.json() as { query: string; results: Result[]; count: number; keywords_extracted: string[] };
  };

  beforeAll(async () => {
    t = await createTestApp({ seed: true });
    // A fixed Wednesday morning: "this weekend" is then Saturday and Sunday three and four days on.
    const today = Math.floor(Date.now() / DAY) * DAY;
    wednesday = today + ((3 - new Date(today).getUTCDay() + 7) % 7) * DAY + 8 * 3600_000;
    t.clock.set(wednesday);
    expect((await seedDemoCatalog(t.ctx)).created).toBeGreaterThanOrEqual(20);
  });
  afterAll(async () => t.close());

  it('the demo catalogue has at least 20 varied upcoming events across the two venues', async () => {
    const { rows } = await t.ctx.pool.query<{ n: number; types: number; venues: number }>(
      'SELECT count(*)::int AS n, count(DISTINCT event_type)::int AS types, count(DISTINCT venue_id)::int AS venues FROM events WHERE event_date > $1',
      [new Date(wednesday)],
    );
    expect(rows[0]!.n).toBeGreaterThanOrEqual(20);
    expect(rows[0]!.types).toBeGreaterThanOrEqual(6);
    expect(rows[0]!.venues).toBe(2);
  });

  it('a query naming an artist finds that event first', async () => {
    const body = await search('Taylor Swift tribute');
    expect(body.results[0]!.name).toBe('Taylor Tribute: The Eras Night');
    expect(body.results[0]).toMatchObject({
      event_type: 'music',
      location: 'Singapore Indoor Stadium, Singapore',
      price: 90,
      capacity: 120,
    });
    expect(body.count).toBe(body.results.length);
  });

  it('a query naming a type finds events of that type first, by its usual words too', async () => {
    const comedy = await search('comedy shows');
    expect(comedy.results.length).toBeGreaterThanOrEqual(2);
    expect(comedy.results.every((r) => r.event_type === 'comedy')).toBe(true);
    expect(comedy.keywords_extracted).toContain('comedy');
    const ballet = await search('ballet');
    expect(ballet.results[0]!.name).toBe('Swan Lake by the Singapore Ballet');
    const football = await search('football');
    expect(football.results.length).toBeGreaterThan(0);
    expect(football.results.every((r) => r.event_type === 'sport')).toBe(true);
  });

  it('"this weekend" returns exactly the upcoming events of the coming Saturday and Sunday', async () => {
    const saturday = wednesday - 8 * 3600_000 + 3 * DAY;
    const body = await search('this weekend');
    const { rows } = await t.ctx.pool.query<{ id: string }>(
      'SELECT id FROM events WHERE event_date >= $1 AND event_date < $2 ORDER BY event_date',
      [new Date(saturday), new Date(saturday + 2 * DAY)],
    );
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(body.results.map((r) => r.id).sort()).toEqual(rows.map((r) => r.id).sort());
    for (const r of body.results) expect([6, 0]).toContain(new Date(r.starts_at).getUTCDay());
    expect(body.keywords_extracted).toContain('this weekend');
  });

  it('places filter by venue name', async () => {
    const body = await search('dance at the Esplanade');
    expect(body.results.length).toBeGreaterThan(0);
    expect(body.results.every((r) => r.location.startsWith('Esplanade Theatre') && r.event_type === 'dance')).toBe(true);
  });

  it('a query that matches nothing is an empty list, not an error', async () => {
    const body = await search('xylophone quidditch');
    expect(body).toEqual({ query: 'xylophone quidditch', results: [], count: 0, keywords_extracted: ['xylophone', 'quidditch'] });
  });

  it('validates the body', async () => {
    for (const payload of [{}, { query: '' }, { query: '   ' }, { query: 'x'.repeat(201) }, { query: 3 }]) {
      const res = await t.app.inject({ method: 'POST', url: '/api/search-events', payload });
      expect([res.statusCode, res.json().error_code]).toEqual([400, 'VALIDATION_ERROR']);
    }
  });
});

describe('date phrases', () => {
  const wed = Date.UTC(2026, 11, 2, 8); // Wednesday 2 December 2026
  const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
  it.each([
    ['this weekend', '2026-12-05', '2026-12-07'],
    ['next weekend', '2026-12-12', '2026-12-14'],
    ['next week', '2026-12-07', '2026-12-14'],
    ['tomorrow', '2026-12-03', '2026-12-04'],
    ['on 24 December', '2026-12-24', '2026-12-25'],
    ['in December', '2026-12-01', '2027-01-01'],
    ['in January', '2027-01-01', '2027-02-01'],
  ])('%s', (phrase, from, to) => {
    expect(parseDatePhrase(`concerts ${phrase}`, wed)).toMatchObject({ from: day(from), to: day(to) });
  });
  it('on a Sunday, this weekend is what is left of it', () => {
    expect(parseDatePhrase('this weekend', Date.UTC(2026, 11, 6, 9))).toMatchObject({ from: day('2026-12-06'), to: day('2026-12-07') });
  });
  it('no date phrase, no range', () => expect(parseDatePhrase('jazz piano', wed)).toBeUndefined());
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoCatalog } from '../src/db/seed-catalog.js';
import { simulateHistory, type SimulationReport } from '../src/domain/ml/simulate-history.js';
import { leaveOneOutHitRate } from '../src/domain/search/recommend-events.js';
import { DEMO, createTestApp, demoUser, tokenFor, type TestApp } from './helpers/app.js';
import { PAST, createFans } from './helpers/commerce.js';

const SERVICE_KEY = 'veritix-recommend-test-service-key';
type Actor = Awaited<ReturnType<typeof demoUser>>;

describe('POST /api/recommend-events on a simulated purchase history', () => {
  let t: TestApp;
  let sim: SimulationReport;
  let fan: Actor;
  const recommend = (userId: string, headers: Record<string, string>) =>
    t.app.inject({ method: 'POST', url: '/api/recommend-events', headers, payload: { user_id: userId } });

  beforeAll(async () => {
    t = await createTestApp({ seed: true, env: { SERVICE_API_KEY: SERVICE_KEY } });
    fan = await demoUser(t, DEMO.fan);
    await seedDemoCatalog(t.ctx);
    sim = await simulateHistory(t.ctx, { fans: 120, bots: 10, seed: 11 });
  }, 240_000);
  afterAll(async () => t.close());

  it('leave-one-out hit rate at 3 beats the popularity baseline', async () => {
    const rates = await leaveOneOutHitRate(t.ctx.pool, t.ctx.now());
    console.log(
      `leave-one-out hit rate@3 over ${rates.users} users: item-to-item CF ${rates.collaborative.toFixed(3)}, popularity ${rates.popularity.toFixed(3)}`,
    );
    expect(rates.users).toBeGreaterThan(50);
    expect(rates.collaborative).toBeGreaterThan(rates.popularity);
  });

  it('three upcoming events the user neither bought nor holds', async () => {
    const user = sim.fans[0]!;
    const res = await recommend(user, { authorization: `Bearer ${await tokenFor(t, user, 'fan')}` });
    expect(res.statusCode).toBe(200);
    const ids = res.json().recommendations as string[];
    expect(ids).toHaveLength(3);
    const { rows } = await t.ctx.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM events e WHERE e.id = ANY($1) AND e.event_date > now()
          AND NOT EXISTS (SELECT 1 FROM seats s WHERE s.event_id = e.id AND s.owner_user_id = $2)
          AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.event_id = e.id AND o.user_id = $2 AND o.status = 'CONFIRMED')`,
      [ids, user],
    );
    expect(rows[0]!.n).toBe(3);
    const past = (await t.ctx.pool.query('SELECT id FROM events WHERE name = $1', [PAST])).rows[0].id;
    expect(ids).not.toContain(past);
  });

  it('a user without purchases gets the most popular events', async () => {
    const [newcomer] = await createFans(t, 1, { prefix: 'newcomer' });
    const res = await recommend(newcomer!.id, { authorization: `Bearer ${newcomer!.token}` });
    const { rows } = await t.ctx.pool.query<{ event_id: string }>(
      `SELECT event_id FROM orders o JOIN events e ON e.id = o.event_id WHERE o.status = 'CONFIRMED' AND e.event_date > now()
        GROUP BY event_id ORDER BY count(DISTINCT user_id) DESC, event_id LIMIT 3`,
    );
    expect(res.json().recommendations).toEqual(rows.map((r) => r.event_id));
  });

  it('only for yourself (or a service key); unknown users are 404; ids are validated', async () => {
    expect((await recommend(sim.fans[1]!, { authorization: `Bearer ${fan.token}` })).statusCode).toBe(403);
    expect((await recommend(sim.fans[1]!, {})).statusCode).toBe(401);
    expect((await recommend(sim.fans[1]!, { 'x-service-key': SERVICE_KEY })).statusCode).toBe(200);
    const unknown = await recommend('7b1f0c1e-3c44-4d6c-9a51-2f0d2b3c4d5e', { 'x-service-key': SERVICE_KEY });
    expect([unknown.statusCode, unknown.json().error_code, unknown.json().message]).toEqual([404, 'USER_NOT_FOUND', 'User not found']);
    expect((await recommend('user1', { 'x-service-key': SERVICE_KEY })).json().error_code).toBe('VALIDATION_ERROR');
  });
});

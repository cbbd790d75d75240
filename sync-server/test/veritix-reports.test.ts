import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, createTestApp, demoUser, type TestApp } from './helpers/app.js';
import { CHAMBER, buySeat, freeSeats } from './helpers/commerce.js';
import { startPeer } from './helpers/sync.js';

const SERVICE_KEY = 'veritix-reports-test-service-key';
type Actor = Awaited<ReturnType<typeof demoUser>>;

describe('stored daily reports: POST /api/generate-daily-report → GET /api/reports/{id}', () => {
  let t: TestApp;
  let operator: Actor, fan: Actor, admin: Actor;
  const today = new Date().toISOString().slice(0, 10);
  const generate = (output_format: 'csv' | 'json') =>
    t.app.inject({
      method: 'POST',
      url: '/api/generate-daily-report',
      headers: { 'x-service-key': SERVICE_KEY },
      payload: { target_date: today, output_format },
    });
  const get = (app: TestApp['app'], url: string, headers: Record<string, string>) => app.inject({ method: 'GET', url, headers });

  beforeAll(async () => {
    t = await createTestApp({ seed: true, env: { SERVICE_API_KEY: SERVICE_KEY } });
    [operator, fan, admin] = (await Promise.all([DEMO.operator, DEMO.fan, DEMO.admin].map((e) => demoUser(t, e)))) as [Actor, Actor, Actor];
    await buySeat(t, fan.token, (await freeSeats(t, CHAMBER, 1))[0]!);
  });
  afterAll(async () => t.close());

  it('the CSV report is stored and served from any instance, identical to the inline copy', async () => {
    const body = (await generate('csv')).json();
    expect(body.report_path).toMatch(/^\/api\/reports\/[0-9a-f-]{36}$/);
    expect(body.message).toContain(body.report_path);
    expect(body.summary.total_sales).toBe(1);
    // A platform-wide report (generated with the service key) is not an operator's to read, even one of both demo venues.
    expect((await get(t.app, body.report_path, { authorization: `Bearer ${operator.token}` })).statusCode).toBe(403);
    const res = await get(t.app, body.report_path, { authorization: `Bearer ${admin.token}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="daily_report_${today}.csv"`);
    expect(res.body).toBe(body.report);
    const peer = await startPeer(t);
    try {
      expect((await get(peer.app, body.report_path, { 'x-service-key': SERVICE_KEY })).statusCode).toBe(401); // the peer has no key configured
      const token = { authorization: `Bearer ${admin.token}` };
      expect((await get(peer.app, body.report_path, token)).body).toBe(body.report);
    } finally {
      await peer.close();
    }
  });

  it('the JSON report is served as JSON', async () => {
    const body = (await generate('json')).json();
    const res = await get(t.app, body.report_path, { 'x-service-key': SERVICE_KEY });
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json()).toEqual(body.report);
  });

  it('guards and validates', async () => {
    const { report_path: path } = (await generate('csv')).json();
    expect((await get(t.app, path, {})).statusCode).toBe(401);
    expect((await get(t.app, path, { authorization: `Bearer ${fan.token}` })).statusCode).toBe(403);
    expect((await get(t.app, '/api/reports/nope', { 'x-service-key': SERVICE_KEY })).json().error_code).toBe('INVALID_UUID');
    const missing = await get(t.app, '/api/reports/7b1f0c1e-3c44-4d6c-9a51-2f0d2b3c4d5e', { 'x-service-key': SERVICE_KEY });
    expect([missing.statusCode, missing.json().error_code]).toEqual([404, 'REPORT_NOT_FOUND']);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoCatalog } from '../src/db/seed-catalog.js';
import { scalperRetrainJob } from '../src/domain/ml/scalper-retrain-job.js';
import { simulateHistory, type SimulationReport } from '../src/domain/ml/simulate-history.js';
import { auc } from '../src/domain/ml/evaluation.js';
import { decidedLabels, scalperFeatures } from '../src/domain/ml/scalper-features.js';
import { ScalperModel, splitExamples } from '../src/domain/ml/scalper-model.js';
import { DEMO, createTestApp, demoUser, type TestApp } from './helpers/app.js';
import { startPeer } from './helpers/sync.js';

const SERVICE_KEY = 'veritix-scalper-test-service-key';
const SPEC_EXAMPLE = [8, 6.5, 1.8, 10, 1, 4];
const ORDINARY_BUYER = [1, 0.1, 1.0, 900, 0, 0];
type Actor = Awaited<ReturnType<typeof demoUser>>;

describe('scalper model trained on simulated rows', () => {
  let t: TestApp;
  let operator: Actor, fan: Actor;
  let sim: SimulationReport;
  const post = (url: string, payload: unknown, headers: Record<string, string>) =>
    t.app.inject({ method: 'POST', url, headers, payload: payload as object });
  const op = () => ({ authorization: `Bearer ${operator.token}` });

  beforeAll(async () => {
    t = await createTestApp({ seed: true, env: { SERVICE_API_KEY: SERVICE_KEY } });
    [operator, fan] = (await Promise.all([DEMO.operator, DEMO.fan].map((e) => demoUser(t, e)))) as [Actor, Actor];
    await seedDemoCatalog(t.ctx);
  }, 60_000);
  afterAll(async () => t.close());

  it('answers 503 "Model not ready" before any training, and the job does not train without decisions', async () => {
    const res = await post('/api/predict-scalper', { features: SPEC_EXAMPLE }, op());
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ success: false, error_code: 'MODEL_NOT_READY', message: 'Model not ready' });
    expect(await scalperRetrainJob.run(t.ctx)).toBeNull();
    const train = await t.app.inject({ method: 'POST', url: '/api/ml/scalper/train', headers: op() });
    expect([train.statusCode, train.json().error_code]).toEqual([409, 'CONFLICT']);
  });

  it('the simulator writes purchases through the purchase service and review decisions', async () => {
    sim = await simulateHistory(t.ctx, { fans: 100, bots: 35, seed: 7 });
    expect(sim.orders).toBeGreaterThan(300);
    const { rows } = await t.ctx.pool.query<{
      orders: number;
      all_orders: number;
      origins: number;
      confirmed: number;
      dismissed: number;
      sessions: number;
    }>(
      `SELECT (SELECT count(*)::int FROM orders WHERE status = 'CONFIRMED' AND user_id = ANY($1)) AS orders,
              (SELECT count(*)::int FROM orders WHERE user_id = ANY($1)) AS all_orders,
              (SELECT count(*)::int FROM purchase_origins WHERE user_id = ANY($1)) AS origins,
              (SELECT count(*)::int FROM fraud_flags WHERE status = 'CONFIRMED') AS confirmed,
              (SELECT count(*)::int FROM fraud_flags WHERE status = 'DISMISSED') AS dismissed,
              (SELECT count(DISTINCT family_id)::int FROM refresh_tokens WHERE user_id = ANY($1)) AS sessions`,
      [[...sim.fans, ...sim.bots]],
    );
    expect(rows[0]).toMatchObject({ orders: sim.orders, all_orders: sim.orders, origins: sim.orders });
    expect(rows[0]!.confirmed).toBeGreaterThan(20);
    expect(rows[0]!.dismissed).toBeGreaterThan(40);
    expect(rows[0]!.sessions).toBeGreaterThan(135);
  }, 240_000);

  it('trains with a held-out evaluation stored with the version; AUC on the held-out split', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/ml/scalper/train', headers: op() });
    expect(res.statusCode).toBe(201);
    const v = res.json();
    console.log(
      `scalper model v${v.version}: held-out AUC ${v.auc.toFixed(3)}, precision ${v.precision.toFixed(3)}, recall ${v.recall.toFixed(3)} at ${v.threshold}; classes ${JSON.stringify(v.classes)}`,
    );
    expect(v.auc).toBeGreaterThanOrEqual(0.85);
    const { train, test } = v.classes;
    expect(train.scalper + train.ordinary + test.scalper + test.ordinary).toBe(v.examples);
    expect(test.scalper).toBe(Math.round((train.scalper + test.scalper) * 0.3));

    const listed = (await t.app.inject({ method: 'GET', url: '/api/ml/scalper/models', headers: { 'x-service-key': SERVICE_KEY } })).json();
    expect(listed.versions[0]).toEqual(v);

    // The stored figure is the held-out one: the stored model scored on the held-out users gives it back.
    const labels = await decidedLabels(t.ctx.pool);
    const features = await scalperFeatures(t.ctx.pool, [...labels.keys()], t.ctx.now());
    const { test: heldOut } = splitExamples(
      [...labels].map(([id, label]) => ({ id, label, features: features.get(id)! })),
      0.3,
    );
    const stored = (await t.ctx.pool.query('SELECT model FROM scalper_models WHERE version = $1', [v.version])).rows[0].model;
    const scores = ScalperModel.load(stored).probabilities(heldOut.map((e) => e.features));
    expect(
      auc(
        scores,
        heldOut.map((e) => e.label),
      ),
    ).toBeCloseTo(v.auc, 10);
  });

  it('scores the spec example above 0.5 and an ordinary buyer below, on every instance', async () => {
    const high = (await post('/api/predict-scalper', { features: SPEC_EXAMPLE }, op())).json();
    const low = (await post('/api/predict-scalper', { features: ORDINARY_BUYER }, { 'x-service-key': SERVICE_KEY })).json();
    console.log(`spec example ${high.probability}, ordinary buyer ${low.probability}`);
    expect(high.probability).toBeGreaterThan(0.5);
    expect(low.probability).toBeLessThan(0.5);
    const peer = await startPeer(t);
    try {
      const there = await fetch(`${peer.url}/api/predict-scalper`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${operator.token}` },
        body: JSON.stringify({ features: SPEC_EXAMPLE }),
      });
      expect(await there.json()).toEqual(high);
    } finally {
      await peer.close();
    }
  });

  it('refuses fans and anonymous callers, and validates the vector', async () => {
    expect((await post('/api/predict-scalper', { features: SPEC_EXAMPLE }, {})).statusCode).toBe(401);
    expect((await post('/api/predict-scalper', { features: SPEC_EXAMPLE }, { authorization: `Bearer ${fan.token}` })).statusCode).toBe(403);
    expect(
      (await t.app.inject({ method: 'POST', url: '/api/ml/scalper/train', headers: { 'x-service-key': SERVICE_KEY } })).statusCode,
    ).toBe(401);
    for (const features of [[1, 2, 3], [1, 2, 3, 4, 5, 6, 7], [1, 2, 3, 4, 5, 'x'], [1, 2, 3, -4, 5, 6], 'abc']) {
      const res = await post('/api/predict-scalper', { features }, op());
      expect([res.statusCode, res.json().error_code]).toEqual([400, 'VALIDATION_ERROR']);
    }
  });

  it('the retraining job trains again only after new decisions', async () => {
    expect(await scalperRetrainJob.run(t.ctx)).toBeNull();
    await t.ctx.pool.query(
      "UPDATE fraud_flags SET decided_at = now() + interval '1 second' WHERE id = (SELECT id FROM fraud_flags WHERE status <> 'OPEN' LIMIT 1)",
    );
    const v = await scalperRetrainJob.run(t.ctx);
    expect(v).toMatchObject({ version: 2 });
  });
});

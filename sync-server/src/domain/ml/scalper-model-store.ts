import type { Pool } from '../../db/pool.js';
import { DomainError } from '../errors.js';
import type { FeatureVector } from './scalper-features.js';
import { decidedLabels, scalperFeatures } from './scalper-features.js';
import { ScalperModel, trainAndEvaluate, type Evaluation, type SerializedModel } from './scalper-model.js';

export interface ModelVersion {
  version: number;
  evaluation: Evaluation & { examples: number };
  trainedAt: Date;
}

/** How long an instance serves its loaded version before checking for a newer one. */
const VERSION_CHECK_MS = 5_000;
const TRAIN_LOCK = 742013;

/**
 * Scalper model versions in PostgreSQL, so every instance serves the same
 * one: each instance loads the latest version and checks for a newer one at
 * most every few seconds. Built once in the composition root.
 */
export class ScalperModelStore {
  private loaded?: { version: number; model: ScalperModel };
  private checkedAt = -Infinity;

  constructor(
    private readonly pool: Pool,
    private readonly now: () => number,
  ) {}

  /** The latest model, or MODEL_NOT_READY (503) before the first training. */
  async predict(features: FeatureVector): Promise<{ probability: number; version: number }> {
    const current = await this.current();
    if (!current) throw new DomainError('MODEL_NOT_READY', 'Model not ready');
    return { probability: current.model.probabilities([features])[0]!, version: current.version };
  }

  private async current(): Promise<{ version: number; model: ScalperModel } | undefined> {
    if (this.now() - this.checkedAt < VERSION_CHECK_MS) return this.loaded;
    const { rows } = await this.pool.query<{ version: number }>('SELECT max(version) AS version FROM scalper_models');
    const latest = rows[0]?.version ?? null;
    if (latest !== null && latest !== this.loaded?.version) {
      const m = await this.pool.query<{ model: SerializedModel }>('SELECT model FROM scalper_models WHERE version = $1', [latest]);
      this.loaded = { version: latest, model: ScalperModel.load(m.rows[0]!.model) };
    }
    this.checkedAt = this.now();
    return this.loaded;
  }

  async versions(limit = 20): Promise<ModelVersion[]> {
    const { rows } = await this.pool.query<{ version: number; evaluation: ModelVersion['evaluation']; trained_at: Date }>(
      'SELECT version, evaluation, trained_at FROM scalper_models ORDER BY version DESC LIMIT $1',
      [limit],
    );
    return rows.map((r) => ({ version: r.version, evaluation: r.evaluation, trainedAt: r.trained_at }));
  }

  /**
   * Trains a new version on every user with a decided flag and stores it with
   * its held-out evaluation. One training at a time across instances (advisory
   * lock); `null` when another instance is training right now.
   */
  async train(threshold: number): Promise<ModelVersion | null> {
    const client = await this.pool.connect();
    try {
      const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [TRAIN_LOCK]);
      if (!rows[0]!.locked) return null;
      try {
        const labels = await decidedLabels(client);
        const features = await scalperFeatures(client, [...labels.keys()], this.now());
        const examples = [...labels].map(([id, label]) => ({ id, label, features: features.get(id)! }));
        const { model, evaluation } = trainAndEvaluate(examples, threshold);
        const stored = { ...evaluation, examples: examples.length };
        const at = new Date(this.now());
        const saved = await client.query<{ version: number }>(
          'INSERT INTO scalper_models (model, evaluation, trained_at) VALUES ($1, $2, $3) RETURNING version',
          [JSON.stringify(model.serialize()), JSON.stringify(stored), at],
        );
        const version = saved.rows[0]!.version;
        this.loaded = { version, model };
        return { version, evaluation: stored, trainedAt: at };
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [TRAIN_LOCK]);
      }
    } finally {
      client.release();
    }
  }

  /** Decisions recorded since the latest version: whether the retraining job has anything new to learn from. */
  async hasNewDecisions(): Promise<boolean> {
    const { rows } = await this.pool.query<{ fresh: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM fraud_flags WHERE decided_at IS NOT NULL
                        AND decided_at >= coalesce((SELECT max(trained_at) FROM scalper_models), '-infinity')) AS fresh`,
    );
    return rows[0]!.fresh;
  }
}

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { SCALPER_FEATURES, type FeatureVector } from '../domain/ml/scalper-features.js';
import { NotEnoughExamples } from '../domain/ml/scalper-model.js';
import type { ModelVersion } from '../domain/ml/scalper-model-store.js';
import { DomainError } from '../domain/errors.js';
import { serviceKeyOrRole } from '../plugins/service-key.js';
import { tags, security, Version, docs } from './schemas/scalper.js';
const present = (v: ModelVersion): z.infer<typeof Version> => ({
  version: v.version,
  trained_at: v.trainedAt.toISOString(),
  examples: v.evaluation.examples,
  auc: Number.isFinite(v.evaluation.auc) ? v.evaluation.auc : null,
  threshold: v.evaluation.threshold,
  precision: v.evaluation.precision,
  recall: v.evaluation.recall,
  classes: v.evaluation.classes,
});

/** The Veritix scalper prediction over a model trained on our rows (docs/analytics.md). */
export const scalperRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  const guard = serviceKeyOrRole(app, 'operator');

  app.post(
    '/predict-scalper',
    {
      preHandler: guard,
      schema: {
        tags,
        security,
        summary: 'Scalper probability of a feature vector',
        description: docs.predict.description,
        body: z.object({ features: z.array(z.number().finite().min(0)).length(SCALPER_FEATURES.length) }),
        response: {
          200: z.object({ probability: z.number().min(0).max(1), model_version: z.number().int().describe('TicketGate extra') }),
          ...docs.predict.errors,
        },
      },
    },
    async (req) => {
      const { probability, version } = await ctx.scalper.predict(req.body.features as FeatureVector);
      return { probability: Math.round(probability * 10_000) / 10_000, model_version: version };
    },
  );

  app.get(
    '/ml/scalper/models',
    {
      preHandler: guard,
      schema: {
        tags,
        security,
        summary: 'Scalper model versions with their evaluation',
        description: docs.versions.description,
        response: { 200: z.object({ versions: z.array(Version) }), ...docs.versions.errors },
      },
    },
    async () => ({ versions: (await ctx.scalper.versions()).map(present) }),
  );

  app.post(
    '/ml/scalper/train',
    {
      preHandler: app.requireRole('operator'),
      schema: {
        tags,
        security: [{ bearer: [] }],
        summary: 'Train a new scalper model version now',
        description: docs.train.description,
        response: { 201: Version, ...docs.train.errors },
      },
    },
    async (_req, reply) => {
      try {
        const v = await ctx.scalper.train(ctx.config.SCALPER_THRESHOLD);
        if (!v) throw new DomainError('CONFLICT', 'Another server instance is training the model right now.');
        return reply.status(201).send(present(v));
      } catch (err) {
        if (err instanceof NotEnoughExamples) throw new DomainError('CONFLICT', err.message);
        throw err;
      }
    },
  );
};

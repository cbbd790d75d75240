import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { SCALPER_FEATURES, type FeatureVector } from '../domain/ml/scalper-features.js';
import { NotEnoughExamples } from '../domain/ml/scalper-model.js';
import type { ModelVersion } from '../domain/ml/scalper-model-store.js';
import { DomainError } from '../domain/errors.js';
import { AUTH_ERRORS, documentErrors, type ErrorRows } from '../http/error-docs.js';
import { serviceKeyOrRole } from '../plugins/service-key.js';

const tags = ['Scalper model (Veritix)'];
const security: Record<string, string[]>[] = [{ bearer: [] }, { serviceKey: [] }];
const ACCESS: ErrorRows = [...AUTH_ERRORS, ['UNAUTHORIZED', 'Wrong service key'], ['FORBIDDEN', 'Token of a role below operator']];

const Classes = z.object({ scalper: z.number().int(), ordinary: z.number().int() });
const Version = z
  .object({
    version: z.number().int(),
    trained_at: z.string(),
    examples: z.number().int().describe('Users with a decided fraud flag'),
    auc: z.number().nullable().describe('Held-out split only'),
    threshold: z.number(),
    precision: z.number().describe('At the serving threshold, held-out split'),
    recall: z.number(),
    classes: z.object({ train: Classes, test: Classes }),
  })
  .meta({ id: 'ScalperModelVersion' });
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

const docs = {
  predict: documentErrors(
    'Operator or service key. Probability that a buyer with these features is a scalper, from the latest trained version ' +
      '(logistic regression, ml-logistic-regression). Features in order: ' +
      `${SCALPER_FEATURES.join(', ')} (see docs/analytics.md for how each is computed from our rows). ` +
      '`zip_mismatch` cannot be observed in TicketGate and has no weight. 503 "Model not ready" until a model is trained.',
    [...ACCESS, ['VALIDATION_ERROR', 'features is not 6 finite numbers of 0 or more'], ['MODEL_NOT_READY', 'No model trained yet']],
  ),
  versions: documentErrors('Operator or service key. Model versions, newest first, each with its held-out evaluation.', ACCESS),
  train: documentErrors(
    'Operator. Trains a new version now on every user with a decided fraud flag (confirmed = scalper, dismissed = ordinary), ' +
      '70 % of each class to train, 30 % held out for the stored evaluation. The retraining job does the same periodically.',
    [
      ...AUTH_ERRORS,
      ['FORBIDDEN', 'Token of a role below operator'],
      ['CONFLICT', 'Not enough decided flags of each kind yet, or another instance is training right now'],
    ],
  ),
};

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
      schema: { tags, security, summary: 'Scalper model versions with their evaluation', description: docs.versions.description, response: { 200: z.object({ versions: z.array(Version) }), ...docs.versions.errors } },
    },
    async () => ({ versions: (await ctx.scalper.versions()).map(present) }),
  );

  app.post(
    '/ml/scalper/train',
    {
      preHandler: app.requireRole('operator'),
      schema: { tags, security: [{ bearer: [] }], summary: 'Train a new scalper model version now', description: docs.train.description, response: { 201: Version, ...docs.train.errors } },
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

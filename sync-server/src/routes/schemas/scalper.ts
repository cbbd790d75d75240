import { z } from 'zod';
import { SCALPER_FEATURES } from '../../domain/ml/scalper-features.js';
import { AUTH_ERRORS, documentErrors, type ErrorRows } from '../../http/error-docs.js';

// Request and response schemas of routes/scalper.ts, with their OpenAPI descriptions and error tables.

export const tags = ['Scalper model (Veritix)'];
export const security: Record<string, string[]>[] = [{ bearer: [] }, { serviceKey: [] }];
export const ACCESS: ErrorRows = [...AUTH_ERRORS, ['UNAUTHORIZED', 'Wrong service key'], ['FORBIDDEN', 'Token of a role below operator']];

export const Classes = z.object({ scalper: z.number().int(), ordinary: z.number().int() });
export const Version = z
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
export const docs = {
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

import { Matrix } from 'ml-matrix';
import LogisticRegression from 'ml-logistic-regression';
import { auc, precisionRecall } from './evaluation.js';
import { SCALPER_FEATURES, type FeatureVector } from './scalper-features.js';

export interface Example {
  features: FeatureVector;
  label: 0 | 1;
}

export interface Evaluation {
  /** Measured on the held-out split only. */
  auc: number;
  threshold: number;
  precision: number;
  recall: number;
  classes: { train: { scalper: number; ordinary: number }; test: { scalper: number; ordinary: number } };
}

/** What is stored per version: the library's model and the scaling it was trained with. */
export interface SerializedModel {
  library: 'ml-logistic-regression';
  features: readonly string[];
  means: number[];
  stds: number[];
  regression: Record<string, unknown>;
}

const TRAIN_STEPS = 4000;
const LEARNING_RATE = 2e-3;
export const MIN_PER_CLASS = 5;

/**
 * Inputs as the regression sees them: account age and device changes on a log
 * scale (a 2,000-day account is not 200 times as trustworthy as a 10-day one),
 * then standardised with the training split's mean and deviation, then a
 * constant 1 for the intercept (the library fits none).
 */
function design(rows: FeatureVector[], means: number[], stds: number[]): Matrix {
  return new Matrix(rows.map((r) => [...shape(r).map((v, i) => (v - means[i]!) / stds[i]!), 1]));
}
const shape = (f: FeatureVector): number[] => f.map((v, i) => (i === 3 || i === 5 ? Math.log1p(Math.max(0, v)) : v));

export class ScalperModel {
  private constructor(
    private readonly regression: LogisticRegression,
    private readonly means: number[],
    private readonly stds: number[],
  ) {}

  static fit(train: Example[]): ScalperModel {
    const shaped = train.map((e) => shape(e.features));
    const means = SCALPER_FEATURES.map((_, i) => shaped.reduce((s, r) => s + r[i]!, 0) / shaped.length);
    // A feature that never varies (zip_mismatch: not observable) keeps weight 0: divide by 1, not by 0.
    const stds = SCALPER_FEATURES.map((_, i) => Math.sqrt(shaped.reduce((s, r) => s + (r[i]! - means[i]!) ** 2, 0) / shaped.length) || 1);
    const regression = new LogisticRegression({ numSteps: TRAIN_STEPS, learningRate: LEARNING_RATE });
    regression.train(
      design(
        train.map((e) => e.features),
        means,
        stds,
      ),
      Matrix.columnVector(train.map((e) => e.label)),
    );
    return new ScalperModel(regression, means, stds);
  }

  static load(s: SerializedModel): ScalperModel {
    return new ScalperModel(LogisticRegression.load(s.regression), s.means, s.stds);
  }

  /**
   * Probability of the scalper class. The library trains one-vs-all: its
   * first classifier separates class 0 from the rest, so its score is the
   * probability of class 1.
   */
  probabilities(rows: FeatureVector[]): number[] {
    return this.regression.classifiers[0]!.testScores(design(rows, this.means, this.stds));
  }

  serialize(): SerializedModel {
    return {
      library: 'ml-logistic-regression',
      features: SCALPER_FEATURES,
      means: this.means,
      stds: this.stds,
      regression: this.regression.toJSON(),
    };
  }
}

/** Stable pseudo-random order of an id (FNV-1a), so a split is the same every run and on every instance. */
function rank(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** Stratified split: `testShare` of each class, by the stable rank of the example's id, is held out. */
export function splitExamples(examples: (Example & { id: string })[], testShare: number): { train: Example[]; test: Example[] } {
  const train: Example[] = [];
  const test: Example[] = [];
  for (const label of [0, 1] as const) {
    const cls = examples.filter((e) => e.label === label).sort((a, b) => rank(a.id) - rank(b.id) || a.id.localeCompare(b.id));
    const held = Math.max(1, Math.round(cls.length * testShare));
    cls.forEach((e, i) => (i < held ? test : train).push(e));
  }
  return { train, test };
}

export class NotEnoughExamples extends Error {}

/** Trains on the training split and evaluates on the held-out one, never on the rows it learned from. */
export function trainAndEvaluate(
  examples: (Example & { id: string })[],
  threshold: number,
  testShare = 0.3,
): { model: ScalperModel; evaluation: Evaluation } {
  const count = (xs: Example[], l: 0 | 1) => xs.filter((e) => e.label === l).length;
  if (count(examples, 1) < MIN_PER_CLASS || count(examples, 0) < MIN_PER_CLASS) {
    throw new NotEnoughExamples(
      `Training needs at least ${MIN_PER_CLASS} decided flags of each kind (confirmed and dismissed); there are ${count(examples, 1)} and ${count(examples, 0)}.`,
    );
  }
  const { train, test } = splitExamples(examples, testShare);
  const model = ScalperModel.fit(train);
  const scores = model.probabilities(test.map((e) => e.features));
  const labels = test.map((e) => e.label);
  return {
    model,
    evaluation: {
      auc: auc(scores, labels),
      threshold,
      ...precisionRecall(scores, labels, threshold),
      classes: {
        train: { scalper: count(train, 1), ordinary: count(train, 0) },
        test: { scalper: count(test, 1), ordinary: count(test, 0) },
      },
    },
  };
}

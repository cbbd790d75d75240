import type { AppContext } from '../../context.js';
import type { BackgroundJob } from '../../jobs.js';
import { NotEnoughExamples } from './scalper-model.js';

/**
 * Retrains the scalper model when operators have decided flags since the last
 * version. The store's advisory lock keeps it to one instance at a time.
 */
export const scalperRetrainJob: BackgroundJob = {
  name: 'scalper-retrain',
  intervalMs: (ctx) => ctx.config.SCALPER_RETRAIN_INTERVAL_MS,
  async run(ctx: AppContext) {
    if (!(await ctx.scalper.hasNewDecisions())) return null;
    try {
      return await ctx.scalper.train(ctx.config.SCALPER_THRESHOLD);
    } catch (err) {
      if (err instanceof NotEnoughExamples) return null; // nothing to learn from yet: the endpoint keeps answering "Model not ready"
      throw err;
    }
  },
};

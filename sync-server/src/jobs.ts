import type { AppContext } from './context.js';

/**
 * Background work (hold sweeper, transfer expiry, pruning). Each job claims its
 * rows with FOR UPDATE SKIP LOCKED, so several server instances can run the
 * same jobs without doing any row twice. The composition root (context.ts)
 * lists the jobs a server runs in `ctx.jobs`.
 */
export interface BackgroundJob {
  name: string;
  intervalMs(ctx: AppContext): number;
  run(ctx: AppContext): Promise<unknown>;
}

/** Starts every job of `ctx.jobs`; returns a function that stops them and waits for runs in flight. */
export function startJobs(ctx: AppContext, log: (msg: string, err?: unknown) => void): () => Promise<void> {
  let stopping = false;
  const inFlight = new Set<Promise<unknown>>();
  const timers = ctx.jobs.map((job) => {
    const tick = async () => {
      if (stopping) return;
      const p = job.run(ctx).catch((err) => log(`job ${job.name} failed`, err));
      inFlight.add(p);
      await p;
      inFlight.delete(p);
      if (!stopping) timer.ref = setTimeout(() => void tick(), job.intervalMs(ctx));
    };
    const timer: { ref?: NodeJS.Timeout } = {};
    timer.ref = setTimeout(() => void tick(), job.intervalMs(ctx));
    return timer;
  });
  return async () => {
    stopping = true;
    for (const t of timers) clearTimeout(t.ref);
    await Promise.allSettled([...inFlight]);
  };
}

import type { FastifyInstance } from 'fastify';
import { build } from './app.js';
import type { Config } from './config.js';
import { createContext, type AppContext } from './context.js';

export { createContext } from './context.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './db/embedded.js';
import { migrate } from './db/migrate.js';
import { seedDemoCatalog } from './db/seed-catalog.js';
import { seedDemo, type SeedReport } from './db/seed.js';
import { startDemoStripe } from './providers/stripe-standin.js';
import { startJobs } from './jobs.js';

export interface RunningServer {
  app: FastifyInstance;
  ctx: AppContext;
  url: string;
  databaseUrl: string;
  seed?: SeedReport;
  close(): Promise<void>;
}

/**
 * Everything `npm start` does: database (embedded unless DATABASE_URL),
 * migrations, demo seed, background jobs, HTTP. `close()` undoes it all, in order.
 */
export async function startServer(config: Config, opts: { listen?: boolean } = {}): Promise<RunningServer> {
  let embedded: EmbeddedDatabase | undefined;
  let databaseUrl = config.DATABASE_URL;
  if (!databaseUrl) {
    embedded = await startEmbeddedPostgres({ dataDir: config.PG_DATA_DIR, port: config.PG_PORT });
    databaseUrl = embedded.url();
  }
  // Demo without a Stripe key: card top-ups go to a local Stripe stand-in (providers/stripe-standin.ts).
  const demoStripe = config.DEMO && !config.STRIPE_SECRET_KEY ? await startDemoStripe() : undefined;
  try {
    await migrate(databaseUrl);
    const ctx = createContext(demoStripe ? { ...config, ...demoStripe.settings } : config, databaseUrl);
    const seed = config.DEMO ? await seedDemo(ctx) : undefined;
    if (seed) await seedDemoCatalog(ctx);
    const app = await build(ctx);
    await ctx.live.start();
    const stopJobs = startJobs(ctx, (msg, err) => ctx.log.error({ err }, msg));
    let url = '';
    if (opts.listen !== false) url = await app.listen({ host: config.HOST, port: config.PORT });
    if (demoStripe && url) {
      demoStripe.deliverTo(app.server.address());
      console.log(demoStripe.instructions());
    }
    let closed = false;
    return {
      app,
      ctx,
      url,
      databaseUrl,
      ...(seed ? { seed } : {}),
      async close() {
        if (closed) return;
        closed = true;
        await stopJobs();
        await ctx.live.stop();
        await app.close();
        await ctx.pool.end();
        await embedded?.stop();
        await demoStripe?.standin.close();
      },
    };
  } catch (err) {
    await embedded?.stop();
    await demoStripe?.standin.close();
    throw err;
  }
}

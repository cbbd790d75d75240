// Quality of the Veritix models on a simulated history in a throwaway embedded
// PostgreSQL: leave-one-out hit rate at 3 of the recommender next to the
// popularity baseline, and the scalper model's held-out evaluation.
//   npx tsx bench/veritix-quality.ts [--fans 200] [--bots 40] [--seed 1]
// Figures only: nothing here asserts a budget.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createContext,
  leaveOneOutHitRate,
  loadConfig,
  migrate,
  seedDemo,
  seedDemoCatalog,
  simulateHistory,
  startEmbeddedPostgres,
} from '@ticketgate/sync-server';
import { intArg } from './lib/args.js';

const dir = mkdtempSync(join(tmpdir(), 'tg-bench-veritix-'));
chmodSync(dir, 0o755); // as root, PostgreSQL runs as the `postgres` user and must reach the folder
const port = 56000 + Math.floor(Math.random() * 4000);
console.log(`starting embedded PostgreSQL in ${dir} (port ${port}) …`);
const pg = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), port });
try {
  const url = pg.url();
  await migrate(url);
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DEMO: 'false',
    DATABASE_URL: url,
    PASSWORD_HASH_OPS: '1',
    PASSWORD_HASH_MEM_MIB: '8',
  });
  const ctx = createContext(config, url);
  try {
    await seedDemo(ctx);
    await seedDemoCatalog(ctx);
    const started = Date.now();
    const sim = await simulateHistory(ctx, { fans: intArg('fans', 200, 0), bots: intArg('bots', 40, 0), seed: intArg('seed', 1, 0) });
    console.log(
      `simulated ${sim.fans.length} fans, ${sim.bots.length} bots, ${sim.orders} paid orders, ${sim.reviewed} reviews in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );

    const rates = await leaveOneOutHitRate(ctx.pool, ctx.now());
    console.log(`recommendations, leave-one-out hit rate@3 over ${rates.users} users:`);
    console.log(`  item-to-item CF      ${rates.collaborative.toFixed(3)}`);
    console.log(`  popularity baseline  ${rates.popularity.toFixed(3)}`);

    const v = await ctx.scalper.train(config.SCALPER_THRESHOLD);
    if (v) {
      const e = v.evaluation;
      console.log(`scalper model v${v.version} on ${e.examples} labelled users, held-out split:`);
      console.log(`  AUC ${e.auc.toFixed(3)}, precision ${e.precision.toFixed(3)}, recall ${e.recall.toFixed(3)} at ${e.threshold}`);
      console.log(`  classes ${JSON.stringify(e.classes)}`);
    }
  } finally {
    await ctx.live.stop();
    await ctx.pool.end();
  }
} finally {
  await pg.stop();
  rmSync(dir, { recursive: true, force: true });
}

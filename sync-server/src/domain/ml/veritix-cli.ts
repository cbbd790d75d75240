import { loadConfig } from '../../config.js';
import { migrate } from '../../db/migrate.js';
import { createContext } from '../../server.js';
import { leaveOneOutHitRate } from '../search/recommend-events.js';
import { simulateHistory } from './simulate-history.js';

/**
 * `npm run veritix -w @ticketgate/sync-server -- <command>` against DATABASE_URL:
 *   simulate [fans] [bots]  writes a simulated purchase history with review decisions (demo data: seed first)
 *   train                   trains and stores a new scalper model version, prints its held-out evaluation
 *   evaluate                prints the recommender's leave-one-out hit rate at 3 next to popularity
 */
const config = loadConfig();
if (!config.DATABASE_URL) {
  console.error('DATABASE_URL: required');
  process.exit(2);
}
await migrate(config.DATABASE_URL);
const ctx = createContext(config, config.DATABASE_URL);
const [command, ...args] = process.argv.slice(2);
try {
  switch (command) {
    case 'simulate': {
      const r = await simulateHistory(ctx, { fans: Number(args[0] ?? 200), bots: Number(args[1] ?? 40), seed: Date.now() % 100_000 });
      console.log(`simulated ${r.fans.length} fans and ${r.bots.length} bots: ${r.orders} paid orders, ${r.reviewed} review decisions`);
      break;
    }
    case 'train': {
      const v = await ctx.scalper.train(config.SCALPER_THRESHOLD);
      if (!v) throw new Error('another instance is training right now');
      console.log(`scalper model v${v.version}: ${JSON.stringify(v.evaluation)}`);
      break;
    }
    case 'evaluate': {
      const r = await leaveOneOutHitRate(ctx.pool, ctx.now());
      console.log(
        `leave-one-out hit rate@3 over ${r.users} users: CF ${r.collaborative.toFixed(3)}, popularity ${r.popularity.toFixed(3)}`,
      );
      break;
    }
    default:
      console.error('usage: veritix simulate [fans] [bots] | train | evaluate');
      process.exitCode = 2;
  }
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
} finally {
  await ctx.pool.end();
}

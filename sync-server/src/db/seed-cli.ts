import { loadConfig } from '../config.js';
import { createContext } from '../server.js';
import { migrate } from './migrate.js';
import { seedDemoCatalog } from './seed-catalog.js';
import { seedDemo } from './seed.js';

/** `npm run seed -w @ticketgate/sync-server`: demo data into any database (DATABASE_URL). */
const config = loadConfig();
if (!config.DATABASE_URL) {
  console.error('DATABASE_URL: required for the seed command (the embedded database seeds itself on first start)');
  process.exit(2);
}
await migrate(config.DATABASE_URL);
const ctx = createContext(config, config.DATABASE_URL);
const report = await seedDemo(ctx);
const catalog = await seedDemoCatalog(ctx);
console.log(report.created ? `seeded ${report.events.length} events and ${report.accounts.length} accounts` : 'demo data already present');
console.log(`showcase catalogue: ${catalog.created} events added`);
await ctx.pool.end();

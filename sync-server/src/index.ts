// The public entry of @ticketgate/sync-server: what the demo launcher, the
// benchmarks and other packages may use. Everything else under src/ is internal
// and may change without notice; add here (and say why) rather than reaching in.

// Running a server: configuration, the composition root, the HTTP app, all of it at once.
export { ConfigError, loadConfig, type Config } from './config.js';
export type { AppContext } from './context.js';
export { build, type BuildOptions } from './app.js';
export { createContext, startServer, type RunningServer } from './server.js';

// The database: embedded PostgreSQL, pool, migrations, demo data.
export { startEmbeddedPostgres, type EmbeddedDatabase } from './db/embedded.js';
export { createPool, type Pool, type Queryable } from './db/pool.js';
export { migrate, MIGRATIONS_DIR } from './db/migrate.js';
export { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemo, type SeedReport } from './db/seed.js';

// Setting up data without HTTP, for benchmarks and operations tooling: seat blocks of an
// event, gate enrolment codes and device tokens, and the gate's seat snapshot as the
// sync route produces it (so a benchmark can time the domain apart from HTTP).
export { insertSeatBlocks, rowLabels, type SeatBlock } from './domain/catalog/seat-blocks.js';
export { createEnrolmentCode } from './domain/sync/enrolment.js';
export { hashDeviceToken, newDeviceToken } from './domain/sync/device-secrets.js';
export { readSeatDelta } from './domain/sync/seat-delta.js';

// The Veritix models' quality on a simulated history (bench/veritix-quality.ts): the showcase
// catalogue, the history simulator and the recommender's leave-one-out evaluation.
export { seedDemoCatalog } from './db/seed-catalog.js';
export { simulateHistory, type SimulationOptions, type SimulationReport } from './domain/ml/simulate-history.js';
export { leaveOneOutHitRate, type HitRates } from './domain/search/recommend-events.js';
// A session row for a user, so a benchmark can sign access tokens without a login per user.
export { openSession } from './domain/auth/sessions.js';

// The one place the benches reach into the sync server: everything they start,
// migrate or seed comes through here, so moving them onto the package's public
// entry is a change to this file only.
export { build } from '../../sync-server/src/app.js';
export { loadConfig, type Config } from '../../sync-server/src/config.js';
export { startEmbeddedPostgres, type EmbeddedDatabase } from '../../sync-server/src/db/embedded.js';
export { migrate } from '../../sync-server/src/db/migrate.js';
export { createPool, type Pool, type Queryable } from '../../sync-server/src/db/pool.js';
export { seedDemo } from '../../sync-server/src/db/seed.js';
export { insertSeatBlocks, rowLabels } from '../../sync-server/src/domain/catalog/seat-blocks.js';
export { createContext } from '../../sync-server/src/server.js';
export { createTokenSigner } from '../../sync-server/src/domain/auth/tokens.js';
export { startServer } from '../../sync-server/src/server.js';

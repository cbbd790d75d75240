// Probe: linted as if it were the file named below; every import in it must be refused.
// lint as: bench/probe.ts
import '../sync-server/src/config.js';
import '../sync-server/src/db/pool.js';

// Probe: linted as if it were the file named below; every import in it must be refused.
// lint as: gate-app/src/engine/sync/probe.ts
import '../../../../sync-server/src/config.js';

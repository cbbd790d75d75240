// Probe: linted as if it were the file named below; every import in it must be refused.
// lint as: scripts/probe.ts
import '../sync-server/src/server.js';

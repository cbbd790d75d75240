// Probe: linted as if it were the file named below; every import in it must be refused.
// lint as: sync-server/src/routes/probe.ts
import '@ticketgate/hardware';
import '../../../hardware/src/index.js';

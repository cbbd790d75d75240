// Probe: linted as if it were the file named below; every import in it must be accepted.
// lint as: bench/probe.ts
import '@ticketgate/sync-server';
import '../sync-server/src/index.js';
import '@ticketgate/crypto';
import 'node:child_process';

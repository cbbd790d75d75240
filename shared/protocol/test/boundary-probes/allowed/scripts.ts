// Probe: linted as if it were the file named below; every import in it must be accepted.
// lint as: scripts/probe.ts
import '@ticketgate/sync-server';
import 'node:fs';

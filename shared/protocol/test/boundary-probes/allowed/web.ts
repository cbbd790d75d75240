// Probe: linted as if it were the file named below; every import in it must be accepted.
// lint as: web/src/probe.ts
import '@ticketgate/protocol';
import '../../shared/protocol/src/index.js';

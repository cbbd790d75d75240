// Probe: linted as if it were the file named below; every import in it must be accepted.
// lint as: shared/ui/src/probe.ts
import '@ticketgate/protocol';
import '../../protocol/src/index.js';

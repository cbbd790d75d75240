// Probe: linted as if it were the file named below; every import in it must be refused.
// lint as: shared/protocol/src/probe.ts
import '@ticketgate/crypto';
import '../../crypto/src/index.js';

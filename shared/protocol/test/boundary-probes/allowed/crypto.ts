// Probe: linted as if it were the file named below; every import in it must be accepted.
// lint as: shared/crypto/src/probe.ts
import '@ticketgate/protocol';
import '../../protocol/src/index.js';
import 'node:crypto';
import 'libsodium-wrappers-sumo';

// Probe: linted as if it were the file named below; every import in it must be accepted.
// lint as: shared/protocol/src/probe.ts
import './envelope.js';
import 'zod';

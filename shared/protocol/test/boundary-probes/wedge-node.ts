// Probe: linted as if it were the file named below; every import in it must be refused.
// lint as: hardware/src/wedge/probe.ts
import 'node:events';

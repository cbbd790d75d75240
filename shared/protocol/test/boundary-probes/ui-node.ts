// Probe: linted as if it were the file named below; every import in it must be refused.
// lint as: shared/ui/src/probe.ts
import 'node:fs';

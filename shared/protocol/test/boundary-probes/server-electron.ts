// Probe: linted as if it were the file named below; every import in it must be refused.
// lint as: sync-server/src/probe.ts
import 'electron';

// Probe: linted as if it were the file named below; every import in it must be refused.
// lint as: gate-app/src/main/probe.ts
import '../engine/index.js';
import '@ticketgate/gate-app/engine';

// Probe: linted as if it were the file named below; every import in it must be refused.
// lint as: hardware/src/probe.ts
import '@ticketgate/gate-app/engine';
import '../../gate-app/src/engine/index.js';

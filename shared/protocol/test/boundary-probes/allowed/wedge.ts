// Probe: linted as if it were the file named below; every import in it must be accepted.
// lint as: hardware/src/wedge/probe.ts
import '@ticketgate/protocol';
import './decoder.js';

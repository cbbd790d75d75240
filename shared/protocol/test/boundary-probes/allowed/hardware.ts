// Probe: linted as if it were the file named below; every import in it must be accepted.
// lint as: hardware/src/probe.ts
import '@ticketgate/protocol';
import './wedge/decoder.js';
import 'serialport';
import 'node:fs';

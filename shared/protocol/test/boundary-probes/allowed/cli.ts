// Probe: linted as if it were the file named below; every import in it must be accepted.
// lint as: gate-app/src/cli.ts
import './engine/index.js';
import '@ticketgate/crypto';
import '@ticketgate/hardware';
import 'node:http';

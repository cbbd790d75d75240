// Probe: linted as if it were the file named below; every import in it must be accepted.
// lint as: gate-app/src/engine/probe.ts
import '@ticketgate/protocol';
import '@ticketgate/crypto';
import '@ticketgate/hardware';
import '@ticketgate/hardware/wedge';
import './store/gate-store.js';
import 'node:fs';
import 'better-sqlite3';
import 'zod';

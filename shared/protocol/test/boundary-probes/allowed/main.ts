// Probe: linted as if it were the file named below; every import in it must be accepted.
// lint as: gate-app/src/main/probe.ts
import 'electron';
import 'node:child_process';
import './settings.js';
import '@ticketgate/protocol';

// Probe: linted as if it were the file named below; every import in it must be accepted.
// lint as: sync-server/src/probe.ts
import '@ticketgate/protocol';
import '@ticketgate/crypto';
import '@ticketgate/crypto/qr-image';
import './config.js';
import 'node:crypto';
import 'pg';

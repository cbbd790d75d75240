// Probe: linted as if it were the file named below; every import in it must be accepted.
// lint as: gate-app/src/renderer/probe.ts
import '@ticketgate/protocol';
import '@ticketgate/hardware/wedge';
import '../../../hardware/src/wedge/decoder.js';
import './gate-client.js';
import '@ticketgate/ui';
import 'preact';
import '@zxing/library';

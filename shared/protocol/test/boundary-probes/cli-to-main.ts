// Probe: linted as if it were the file named below; every import in it must be refused.
// lint as: gate-app/src/cli.ts
import './main/settings.js';

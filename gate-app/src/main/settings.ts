// process: main (Electron) — no Electron imports here, so it is unit-testable in Node.
import { join } from 'node:path';

export interface KioskSettings {
  engineUrl: string;
  /** The engine's data folder, where it writes its launch token (local-api-token). */
  dataDir: string;
  engineArgs: string[];
  startEngine: boolean;
  fullscreen: boolean;
}

/**
 * Kiosk settings from the command line and environment:
 *   --server URL --enrol CODE   passed to the engine on first start
 *   --engine-url URL            use an engine that is already running (no child)
 *   --windowed                  for development
 *   --hide-holder-names         (or TICKETGATE_HIDE_HOLDER_NAMES=1) the gate stores and shows no holder names
 */
export function kioskSettings(argv: string[], env: NodeJS.ProcessEnv, userData: string): KioskSettings {
  const arg = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const port = Number(env.TICKETGATE_GATE_PORT ?? 8100);
  const external = arg('engine-url') ?? env.TICKETGATE_ENGINE_URL;
  const dataDir = arg('data') ?? join(userData, 'gate');
  const engineArgs = ['--data', dataDir, '--http', `127.0.0.1:${port}`];
  const server = arg('server') ?? env.TICKETGATE_SERVER;
  const enrol = arg('enrol') ?? env.TICKETGATE_ENROL_CODE;
  const hardware = arg('hardware') ?? env.TICKETGATE_HARDWARE;
  if (server) engineArgs.push('--server', server);
  if (enrol) engineArgs.push('--enrol', enrol);
  if (hardware) engineArgs.push('--hardware', hardware);
  if (argv.includes('--hide-holder-names') || env.TICKETGATE_HIDE_HOLDER_NAMES === '1') engineArgs.push('--hide-holder-names');
  return {
    engineUrl: (external ?? `http://127.0.0.1:${port}`).replace(/\/$/, ''),
    dataDir,
    engineArgs,
    startEngine: !external,
    fullscreen: !argv.includes('--windowed'),
  };
}

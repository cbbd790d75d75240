// process: main (Electron)
// Deliberately thin: the gate engine (SQLite, verifier, sync, scanners, turnstile)
// runs as the same headless gate that `npm run gate` starts, in a child process
// of its own; this file only opens the full-screen kiosk window on the engine's
// local HTTP API, which also serves the renderer. A crash of the UI never loses
// a scan, and a crash of the engine is restarted without closing the window.
import { app, BrowserWindow, powerSaveBlocker, session } from 'electron';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { kiosk } from '@ticketgate/protocol';
import { kioskSettings } from './settings.js';
import { devtoolsAllowed, navigationAllowed, permissionAllowed } from './web-guards.js';

const settings = kioskSettings(process.argv.slice(1), process.env, app.getPath('userData'));
const devtools = devtoolsAllowed({ packaged: app.isPackaged, env: process.env });
let engine: ChildProcess | undefined;
let quitting = false;
// Verdict sounds play without anyone touching the screen first (a kiosk has no first click).
app.commandLine.appendSwitch('autoplay-policy', 'no-user-gesture-required');

/**
 * The local API's launch token for the window. An engine we start gets one
 * minted here (and keeps it across restarts, so the open window keeps working);
 * an engine already running wrote its own to its data folder.
 */
const localApiToken = settings.startEngine ? randomBytes(32).toString('base64url') : undefined;
function currentToken(): string {
  return localApiToken ?? readFileSync(join(settings.dataDir, kiosk.LOCAL_API_TOKEN_FILE), 'utf8').trim();
}

function startEngine(): void {
  // ELECTRON_RUN_AS_NODE makes this very binary a plain Node runtime for the engine.
  engine = spawn(process.execPath, [join(import.meta.dirname, '../cli.js'), ...settings.engineArgs], {
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', TICKETGATE_LOCAL_API_TOKEN: currentToken() },
    stdio: 'inherit',
  });
  engine.on('exit', () => {
    if (!quitting) setTimeout(startEngine, 1000);
  });
}

/** The camera for the kiosk page, nothing else for anyone (web-guards.ts). */
function guardPermissions(): void {
  session.defaultSession.setPermissionRequestHandler((_wc, permission, callback, details) => {
    callback(
      permissionAllowed(
        { permission, requestingUrl: details.requestingUrl, mediaTypes: 'mediaTypes' in details ? details.mediaTypes : [] },
        settings.engineUrl,
      ),
    );
  });
  session.defaultSession.setPermissionCheckHandler((_wc, permission, requestingOrigin, details) =>
    permissionAllowed({ permission, requestingUrl: requestingOrigin, mediaType: details.mediaType }, settings.engineUrl),
  );
}

async function openWindow(): Promise<void> {
  const win = new BrowserWindow({
    fullscreen: settings.fullscreen,
    kiosk: settings.fullscreen,
    autoHideMenuBar: true,
    backgroundColor: '#111111',
    webPreferences: {
      preload: join(import.meta.dirname, 'preload.cjs'), // sandboxed preloads must be CommonJS
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      devTools: devtools,
      // The preload hands it to the page (contextBridge); the page never reads the data folder.
      additionalArguments: [`--ticketgate-local-api-token=${currentToken()}`],
    },
  });
  // Only the gate's own UI may load (exact origin, web-guards.ts); links never open new windows.
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  win.webContents.on('will-navigate', (e, url) => {
    if (!navigationAllowed(url, settings.engineUrl)) e.preventDefault();
  });
  win.webContents.on('will-redirect', (e, url) => {
    if (!navigationAllowed(url, settings.engineUrl)) e.preventDefault();
  });
  if (!devtools) win.webContents.on('devtools-opened', () => win.webContents.closeDevTools());
  // The engine may still be starting: retry until its page answers.
  const load = (): Promise<void> =>
    win.loadURL(`${settings.engineUrl}/`).catch((err: unknown) => {
      console.warn(`kiosk: ${settings.engineUrl} not reachable yet (${String(err)}), retrying`);
      setTimeout(() => void load(), 1000);
    });
  await load();
}

app
  .whenReady()
  .then(async () => {
    powerSaveBlocker.start('prevent-display-sleep');
    guardPermissions();
    if (settings.startEngine) startEngine();
    await openWindow();
  })
  .catch((err: unknown) => {
    // A kiosk that cannot open its window is of no use: say why and let the supervisor restart it.
    console.error('kiosk: could not start', err);
    app.exit(1);
  });

app.on('before-quit', () => {
  quitting = true;
  engine?.kill('SIGTERM');
});
app.on('window-all-closed', () => app.quit());

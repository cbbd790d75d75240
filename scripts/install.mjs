#!/usr/bin/env node
// Installs everything TicketGate needs from nothing, and is cheap to run again.
//
// Why not plain `npm ci`: Electron's postinstall downloads its binary, which
// fails on machines without internet (build hosts, CI, air-gapped halls) and
// would abort the whole install. We install with the download skipped, then try
// the download on its own: with internet you get a runnable Electron, without
// it you keep the Electron types (the main process still type-checks) and the
// headless gate, and a clear message says what is missing.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
const stamp = `${root}node_modules/.ticketgate-install`;
const lockHash = createHash('sha256')
  .update(readFileSync(`${root}package-lock.json`))
  .digest('hex');
const force = process.argv.includes('--force');

function step(msg) {
  console.log(`\n==> ${msg}`);
}

// Debian packages: node-hid's runtime libraries (USB scanners), and what the test
// suite drives for real: socat (pty pairs for serial scanners), Chromium and an
// emoji font (the kiosk UI). Installed when we are root on Debian/Ubuntu; otherwise
// we only say what is missing. TICKETGATE_SKIP_APT=1 skips this step.
const debs = ['libusb-1.0-0', 'libudev1', 'socat', 'chromium', 'fonts-noto-color-emoji'];
if (existsSync('/usr/bin/dpkg') && existsSync('/usr/bin/apt-get') && !process.env.TICKETGATE_SKIP_APT) {
  const missing = debs.filter((p) => spawnSync('dpkg', ['-s', p], { stdio: 'ignore' }).status !== 0);
  if (missing.length) {
    if (process.getuid?.() === 0) {
      step(`apt-get install ${missing.join(' ')}`);
      const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
      const install = () =>
        spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { stdio: 'inherit', env }).status === 0;
      if (!install()) {
        execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
        if (!install()) throw new Error(`apt-get could not install ${missing.join(' ')}`);
      }
    } else {
      console.warn(`warning: missing Debian packages ${missing.join(', ')} (sudo apt-get install ${missing.join(' ')})`);
    }
  }
}

if (!force && existsSync(stamp) && readFileSync(stamp, 'utf8') === lockHash) {
  console.log('dependencies up to date (npm run setup -- --force reinstalls)');
} else {
  step('npm ci');
  execFileSync('npm', ['ci', '--no-audit', '--no-fund'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' },
  });
  writeFileSync(stamp, lockHash);
}

const electronDir = `${root}node_modules/electron`;
if (existsSync(`${electronDir}/install.js`) && !existsSync(`${electronDir}/path.txt`) && !process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
  step('fetching the Electron binary for the kiosk shell');
  const env = { ...process.env };
  delete env.ELECTRON_SKIP_BINARY_DOWNLOAD;
  const r = spawnSync(process.execPath, ['install.js'], { cwd: electronDir, env, stdio: 'pipe', timeout: 180_000 });
  if (r.status === 0 && existsSync(`${electronDir}/path.txt`)) console.log('Electron ready.');
  else
    console.warn(
      'notice: the Electron binary could not be downloaded (no internet?). Everything else is installed: the server, ' +
        'the headless gate (npm run gate) and the kiosk UI in a browser work; run `npm run setup -- --force` with internet for the Electron shell.',
    );
}

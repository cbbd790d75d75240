// process: build tool
// Bundles the kiosk for packaging: Electron main (ESM) and preload (CommonJS,
// as sandboxed preloads must be), the engine CLI, and the renderer. Native
// modules stay external; electron-builder rebuilds them for Electron's ABI.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { buildRenderer } from './build-renderer.js';

const app = fileURLToPath(new URL('..', import.meta.url));
const external = ['electron', 'better-sqlite3', 'serialport', '@serialport/*', 'node-hid', 'libsodium-wrappers*'];
const common = { bundle: true, platform: 'node' as const, target: 'node20', sourcemap: true, external, logLevel: 'warning' as const };

await build({ ...common, entryPoints: [`${app}src/main/main.ts`], outfile: `${app}dist/main/main.js`, format: 'esm' });
await build({ ...common, entryPoints: [`${app}src/main/preload.ts`], outfile: `${app}dist/main/preload.cjs`, format: 'cjs' });
await build({
  ...common,
  entryPoints: [`${app}src/cli.ts`],
  outfile: `${app}dist/cli.js`,
  format: 'esm',
  // Bundled CommonJS dependencies call require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
});
await buildRenderer();
console.log(`kiosk bundled into ${app}dist`);

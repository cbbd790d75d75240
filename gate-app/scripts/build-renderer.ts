// process: build tool
// Bundles the kiosk renderer (TypeScript + Preact JSX → one ES module) with esbuild and copies
// its static files. Output: gate-app/dist/renderer/, served by the gate's local
// HTTP API and loaded by the Electron window.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const src = fileURLToPath(new URL('../src/renderer/', import.meta.url));
export const RENDERER_DIST = fileURLToPath(new URL('../dist/renderer/', import.meta.url));

export async function buildRenderer(outdir = RENDERER_DIST): Promise<string> {
  mkdirSync(outdir, { recursive: true });
  await build({
    entryPoints: [`${src}app.tsx`],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    outfile: `${outdir}/app.js`,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'chrome120',
    sourcemap: true,
    logLevel: 'warning',
  });
  for (const f of ['index.html', 'styles.css']) copyFileSync(`${src}${f}`, `${outdir}/${f}`);
  return outdir;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildRenderer();
  console.log(`renderer built into ${RENDERER_DIST}`);
}

// process: build tool
// Bundles the fan web app and the operator console (Preact, TypeScript → one
// minified ES module each, so fans never download the console) with esbuild
// into web/dist/ with content-hashed names, writes index.html, console.html and
// the fan app's service worker with those names, and a gzip copy of every text
// file, which the sync server serves to browsers that accept it.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = fileURLToPath(new URL('..', import.meta.url));
export const WEB_DIST = join(here, 'dist');

export interface WebBuild {
  dir: string;
  js: string;
  css: string;
  /** Bytes of the JS bundle, raw and gzipped (the figure docs/fan-app.md states). */
  jsBytes: number;
  jsGzipBytes: number;
  /** The operator console's bundle (console.html loads it, index.html never does). */
  console: { js: string; css: string; jsBytes: number; jsGzipBytes: number };
}

export async function buildWebApp(outdir = WEB_DIST): Promise<WebBuild> {
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const result = await build({
    entryPoints: {
      app: join(here, 'src/main.tsx'),
      styles: join(here, 'src/styles.css'),
      console: join(here, 'src/console/main.tsx'),
      'console-styles': join(here, 'src/console/console.css'),
    },
    outdir,
    entryNames: '[name]-[hash]',
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: ['chrome110', 'safari16', 'firefox115'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'warning',
  });
  const outputs = Object.keys(result.metafile.outputs).map((p) => basename(p));
  const named = (name: string, ext: string) => outputs.find((f) => new RegExp(`^${name}-[A-Z0-9]{8}\\${ext}$`).test(f))!;
  const js = named('app', '.js');
  const css = named('styles', '.css');
  const consoleJs = named('console', '.js');
  const consoleCss = named('console-styles', '.css');
  const pub = join(here, 'public');
  const PAGES = ['index.html', 'console.html', 'sw.js'];
  for (const f of readdirSync(pub)) if (!PAGES.includes(f)) copyFileSync(join(pub, f), join(outdir, f));
  const page = (file: string, jsName: string, cssName: string) =>
    writeFileSync(join(outdir, file), readFileSync(join(pub, file), 'utf8').replace('__JS__', jsName).replace('__CSS__', cssName));
  page('index.html', js, css);
  page('console.html', consoleJs, consoleCss);
  const shell = ['/', '/index.html', `/${js}`, `/${css}`, '/manifest.webmanifest', '/icon.svg'];
  const sw = readFileSync(join(pub, 'sw.js'), 'utf8')
    .replace("'__VERSION__'", JSON.stringify(js.slice(4, -3)))
    .replace('__SHELL__', JSON.stringify(shell));
  writeFileSync(join(outdir, 'sw.js'), sw);
  for (const f of readdirSync(outdir)) {
    if (/\.(js|css|html|webmanifest|svg|map)$/.test(f))
      writeFileSync(join(outdir, `${f}.gz`), gzipSync(readFileSync(join(outdir, f)), { level: 9 }));
  }
  const size = (f: string) => ({
    jsBytes: readFileSync(join(outdir, f)).length,
    jsGzipBytes: readFileSync(join(outdir, `${f}.gz`)).length,
  });
  return { dir: outdir, js, css, ...size(js), console: { js: consoleJs, css: consoleCss, ...size(consoleJs) } };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const b = await buildWebApp();
  console.log(
    `web app built into ${b.dir}: ${b.js} ${(b.jsBytes / 1024).toFixed(1)} KiB, ${(b.jsGzipBytes / 1024).toFixed(1)} KiB gzipped; ` +
      `console ${b.console.js} ${(b.console.jsBytes / 1024).toFixed(1)} KiB, ${(b.console.jsGzipBytes / 1024).toFixed(1)} KiB gzipped`,
  );
}

// process: build tool
// Bundles the fan web app (Preact, TypeScript → one minified ES module) with
// esbuild into web/dist/ with content-hashed names, writes index.html and the
// service worker with those names, and a gzip copy of every text file, which
// the sync server serves to browsers that accept it.
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
}

export async function buildWebApp(outdir = WEB_DIST): Promise<WebBuild> {
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const result = await build({
    entryPoints: { app: join(here, 'src/main.tsx'), styles: join(here, 'src/styles.css') },
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
  const js = outputs.find((f) => /^app-.*\.js$/.test(f))!;
  const css = outputs.find((f) => /^styles-.*\.css$/.test(f))!;
  const pub = join(here, 'public');
  for (const f of readdirSync(pub)) if (f !== 'index.html' && f !== 'sw.js') copyFileSync(join(pub, f), join(outdir, f));
  writeFileSync(join(outdir, 'index.html'), readFileSync(join(pub, 'index.html'), 'utf8').replace('__JS__', js).replace('__CSS__', css));
  const shell = ['/', '/index.html', `/${js}`, `/${css}`, '/manifest.webmanifest', '/icon.svg'];
  const sw = readFileSync(join(pub, 'sw.js'), 'utf8')
    .replace("'__VERSION__'", JSON.stringify(js.slice(4, -3)))
    .replace('__SHELL__', JSON.stringify(shell));
  writeFileSync(join(outdir, 'sw.js'), sw);
  for (const f of readdirSync(outdir)) {
    if (/\.(js|css|html|webmanifest|svg|map)$/.test(f))
      writeFileSync(join(outdir, `${f}.gz`), gzipSync(readFileSync(join(outdir, f)), { level: 9 }));
  }
  return {
    dir: outdir,
    js,
    css,
    jsBytes: readFileSync(join(outdir, js)).length,
    jsGzipBytes: readFileSync(join(outdir, `${js}.gz`)).length,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const b = await buildWebApp();
  console.log(
    `web app built into ${b.dir}: ${b.js} ${(b.jsBytes / 1024).toFixed(1)} KiB, ${(b.jsGzipBytes / 1024).toFixed(1)} KiB gzipped`,
  );
}

#!/usr/bin/env node
// Compiles the sync server to plain JavaScript in sync-server/dist, so production
// runs `node` alone (no TypeScript loader): one esbuild bundle per command, with
// the workspace packages (@ticketgate/protocol, @ticketgate/crypto) compiled in
// and npm dependencies left to node_modules. Every output sits at the top of
// dist/, because the code finds its files next to itself: migrations/ (copied
// here) and password-worker.js. `tsc -b` stays the type check; this only emits.
//   node sync-server/build.mjs [--outdir DIR] [--quiet]   (npm run build runs it; npm start runs it first)
// DIR (default sync-server/dist) must lie inside the repository, so that node_modules is found from it;
// tests build their own copy there instead of replacing the dist/ another process may be running.
import { build } from 'esbuild';
import { cpSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const at = process.argv.indexOf('--outdir');
const dist = at > 0 ? resolve(process.argv[at + 1]) : here('./dist');

/** Bare imports stay imports, except our own workspace packages, which are TypeScript source. */
const npmExternal = {
  name: 'npm-external',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@ticketgate/') ? undefined : { path: args.path, external: true }));
  },
};

const started = performance.now();
rmSync(dist, { recursive: true, force: true });
await build({
  entryPoints: {
    main: here('./src/main.ts'),
    seed: here('./src/db/seed-cli.ts'),
    migrate: here('./src/db/migrate-cli.ts'),
    'stripe-standin': here('./src/providers/stripe-standin-cli.ts'),
    veritix: here('./src/domain/ml/veritix-cli.ts'),
    'twilio-standin': here('./src/providers/twilio-standin-cli.ts'),
    'password-worker': here('./src/domain/auth/password-worker.ts'),
  },
  outdir: dist,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.11',
  sourcemap: true,
  chunkNames: 'chunk-[hash]',
  plugins: [npmExternal],
  logLevel: 'warning',
});
cpSync(here('./src/db/migrations'), `${dist}/migrations`, { recursive: true });
if (!process.argv.includes('--quiet')) console.log(`${dist} built in ${Math.round(performance.now() - started)} ms`);

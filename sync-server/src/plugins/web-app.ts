import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The fan app's own pages (the client-side routes of web/src/main.tsx): a
 * reload or a shared link of one of them gets index.html. Listed rather than a
 * catch-all, so unknown /api paths stay the JSON NOT_FOUND and "unmatched" in /metrics.
 */
const APP_PAGES = [
  '/login',
  '/register',
  '/events/*',
  '/tickets',
  '/tickets/*',
  '/credits',
  '/credits/*',
  '/transfers',
  '/transfers/*',
  '/help',
];
/** The operator console's pages (VIEWS in web/src/console/views.tsx): its own page and bundle, so fans never load it. */
const CONSOLE_PAGES = ['/console', '/console/*'];
/** esbuild names bundles `name-HASH.js`: those never change and may be cached for a year. */
const HASHED = /-[A-Z0-9]{8}\.(js|css)(\.map)?$/;

/**
 * Serves the built fan web app (web/dist) at `/`: hashed bundles cached for a
 * year, everything else revalidated (ETag), gzip variants the build wrote
 * served to clients that accept them, and `index.html` for the app's own page
 * paths (`console.html` for the operator console's), so client-side routes survive a reload.
 */
export async function webApp(app: FastifyInstance, opts: { root: string }): Promise<void> {
  if (!existsSync(join(opts.root, 'index.html'))) {
    app.log.warn({ root: opts.root }, 'web app not built (npm run build): / answers 503');
    app.get('/', async (_req, reply) =>
      reply.status(503).type('text/plain').send('The fan web app is not built. Run `npm run build` and restart the server.'),
    );
    return;
  }
  await app.register(fastifyStatic, {
    root: opts.root,
    prefix: '/',
    wildcard: false,
    preCompressed: true,
    index: ['index.html'],
    cacheControl: false,
    setHeaders: (res, path) => {
      res.setHeader('cache-control', HASHED.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache');
      // The service worker may control the whole origin although it lives at /sw.js.
      if (path.endsWith('sw.js')) res.setHeader('service-worker-allowed', '/');
    },
  });
  const page = (reply: FastifyReply, file: string) => reply.header('cache-control', 'no-cache').sendFile(file);
  for (const path of APP_PAGES) app.get(path, async (_req, reply) => page(reply, 'index.html'));
  for (const path of CONSOLE_PAGES) app.get(path, async (_req, reply) => page(reply, 'console.html'));
}

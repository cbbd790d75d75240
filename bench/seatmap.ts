// The seat map under an on-sale rush: GET /api/events/{id} of the 5,000-seat demo
// event with 32 clients (load generator in its own process), plain, with If-None-Match
// (a fan app refreshing an unchanged map), and compact, next to GET /health of the
// same server in the same run.
//   npx tsx bench/seatmap.ts [--connections 32] [--seconds 5]
// Figures only: nothing here asserts a budget. Targets: ≥ 2,000 requests/s for the
// map, ≥ 50 % of /health's rate for 304 answers.
import { intArg } from './lib/args.js';
import { httpLoad, type LoadResult } from './lib/load.js';
import { startBenchDatabase } from './lib/embedded-db.js';
import { build, createContext, loadConfig, seedDemo } from '@ticketgate/sync-server';
import { BENCH_ENV } from './fixtures/bench-env.js';

const CONNECTIONS = intArg('connections', 32);
const SECONDS = intArg('seconds', 5);
const ACCEPT = 'gzip, deflate, br';

const db = await startBenchDatabase('seatmap');
try {
  const config = loadConfig({ ...BENCH_ENV, DATABASE_URL: db.url });
  const ctx = createContext(config, db.url);
  const app = await build(ctx, { logger: false });
  try {
    const seed = await seedDemo(ctx);
    const big = seed.events.find((e) => e.seats === 5000)!;
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    const mapUrl = `${base}/api/events/${big.id}`;
    // fetch decompresses: sizes on the wire are read from content-length.
    const wire = async (res: Response) => (await res.arrayBuffer(), Number(res.headers.get('content-length')));
    const first = await fetch(mapUrl, { headers: { 'accept-encoding': ACCEPT } });
    const bytes = await wire(first);
    const identity = await wire(await fetch(mapUrl, { headers: { 'accept-encoding': 'identity' } }));
    const etag = first.headers.get('etag');
    const revalidated = etag ? (await fetch(mapUrl, { headers: { 'if-none-match': etag } })).status : null;
    const compactUrl = `${mapUrl}?format=compact`;
    const compact = await fetch(compactUrl, { headers: { 'accept-encoding': ACCEPT } });
    const compactBytes = await wire(compact);
    console.log(
      `5,000-seat map: ${identity.toLocaleString('en-US')} bytes uncompressed, ${bytes.toLocaleString('en-US')} bytes with ` +
        `Accept-Encoding "${ACCEPT}" (content-encoding ${first.headers.get('content-encoding') ?? 'none'}), ETag ${etag ?? 'none'}, ` +
        `If-None-Match answers ${revalidated ?? 'n/a'}; compact: status ${compact.status}, ${compactBytes.toLocaleString('en-US')} bytes`,
    );

    const load = (url: string, headers: Record<string, string> = {}) =>
      httpLoad(url, { connections: CONNECTIONS, seconds: SECONDS, headers });
    await load(`${base}/health`); // warm-up: JIT, sockets
    const runs: [string, LoadResult][] = [];
    runs.push(['GET /health', await load(`${base}/health`)]);
    runs.push(['seat map, full (gzip/br accepted)', await load(mapUrl, { 'accept-encoding': ACCEPT })]);
    runs.push(['seat map, If-None-Match', await load(mapUrl, { 'accept-encoding': ACCEPT, ...(etag ? { 'if-none-match': etag } : {}) })]);
    if (compact.ok) runs.push(['seat map, ?format=compact', await load(compactUrl, { 'accept-encoding': ACCEPT })]);

    // Again at the end: on a shared machine the baseline drifts; percentages are against the mean of both.
    runs.push(['GET /health (again)', await load(`${base}/health`)]);
    const health = (runs[0]![1].requestsPerSecond + runs[runs.length - 1]![1].requestsPerSecond) / 2;
    console.log('');
    console.log(`seat map bench: ${CONNECTIONS} connections × ${SECONDS} s each, load generator in its own process, one server instance`);
    for (const [label, r] of runs) {
      const statuses = Object.entries(r.statuses)
        .filter(([, n]) => n > 0)
        .map(([k, n]) => `${k} ${n}`)
        .join(', ');
      console.log(
        `  ${label.padEnd(36)} ${r.requestsPerSecond.toFixed(0).padStart(7)} req/s   p50 ${r.p50Ms.toFixed(1)} ms   p99 ${r.p99Ms.toFixed(1)} ms   ` +
          `${(r.bytesPerSecond / 1e6).toFixed(1)} MB/s   ${((100 * r.requestsPerSecond) / health).toFixed(1)} % of /health (mean of both runs)   [${statuses}${r.errors ? `, ${r.errors} errors` : ''}]`,
      );
    }
  } finally {
    await app.close();
    await ctx.pool.end();
  }
} finally {
  await db.stop();
}

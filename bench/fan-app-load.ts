// process: node (benchmark)
// `npx tsx bench/fan-app-load.ts [--runs=3]`: the fan web app's initial load in
// Debian's Chromium on a throttled phone profile (4x CPU slowdown, 150 ms RTT,
// 1.6 Mbit/s down), against the real server with demo data:
//  - JS shipped: bundle size raw and gzipped, bytes over the wire for the first load;
//  - home: first contentful paint and time to interactive (events listed and the
//    search box filtering), next to the raw baseline of a bare GET /health navigation;
//  - seat map: navigation to a drawn 5,000-seat map, next to a raw fetch of the
//    same event JSON from a blank page.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type CDPSession, type Page } from 'playwright-core';
import { loadConfig, startServer } from '@ticketgate/sync-server';
import { buildWebApp } from '../web/scripts/build.js';

const runs = Number(process.argv.find((a) => a.startsWith('--runs='))?.split('=')[1] ?? 3);
const PROFILE = { cpu: 4, latency: 150, down: (1.6 * 1024 * 1024) / 8, up: (750 * 1024) / 8 };

async function throttle(page: Page): Promise<CDPSession> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: PROFILE.latency,
    downloadThroughput: PROFILE.down,
    uploadThroughput: PROFILE.up,
  });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: PROFILE.cpu });
  return cdp;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (x: number) => `${x.toFixed(0)} ms`;

// The server in this process (the page load it serves is what is measured; Chromium is its own process).
const dir = mkdtempSync(join(tmpdir(), 'tg-bench-web-'));
chmodSync(dir, 0o755); // as root, embedded PostgreSQL runs as user "postgres"
const built = await buildWebApp(join(dir, 'web'));
const server = await startServer(
  loadConfig({
    NODE_ENV: 'development',
    DEMO: 'true',
    LOG_LEVEL: 'silent',
    HOST: '127.0.0.1',
    PORT: '0',
    PG_DATA_DIR: join(dir, 'pg'),
    PG_PORT: String(56000 + Math.floor(Math.random() * 4000)),
    WEB_APP_DIR: built.dir,
    PASSWORD_HASH_OPS: '1',
    PASSWORD_HASH_MEM_MIB: '8',
  }),
);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
try {
  const arena = (
    (await (await fetch(`${server.url}/api/events?per_page=100`)).json()) as { data: { event_id: string; total_seats: number }[] }
  ).data.find((e) => e.total_seats === 5000)!.event_id;
  const rows: Record<string, number[]> = { baseline: [], fcp: [], tti: [], wire: [], mapRaw: [], map: [] };
  for (let i = 0; i < runs; i++) {
    // Each run in a fresh context: no HTTP cache, no service worker yet (a first visit).
    const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, serviceWorkers: 'block' });
    const page = await ctx.newPage();
    const cdp = await throttle(page);
    let wire = 0;
    cdp.on('Network.loadingFinished', (e: { encodedDataLength: number }) => (wire += e.encodedDataLength));

    let t0 = Date.now();
    await page.goto(`${server.url}/health`);
    rows.baseline!.push(Date.now() - t0);

    wire = 0;
    t0 = Date.now();
    await page.goto(`${server.url}/`);
    await page.locator('.event-card').first().waitFor();
    await page.getByLabel('Search events').fill('arena');
    await page.getByText('1 event matching').waitFor();
    rows.tti!.push(Date.now() - t0);
    rows.wire!.push(wire);
    rows.fcp!.push(await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN));

    t0 = Date.now();
    await page.evaluate(async (url) => void (await (await fetch(url)).json()), `${server.url}/api/events/${arena}`);
    rows.mapRaw!.push(Date.now() - t0);
    t0 = Date.now();
    await page.goto(`${server.url}/events/${arena}`);
    await page.getByRole('application', { name: /Seat map, 5000 seats/ }).waitFor();
    rows.map!.push(Date.now() - t0);
    await ctx.close();
  }
  console.log(`fan web app, ${runs} run(s), medians; profile: CPU ${PROFILE.cpu}x slower, RTT ${PROFILE.latency} ms, 1.6 Mbit/s down`);
  console.log(
    `  JS bundle ${built.js}: ${(built.jsBytes / 1024).toFixed(1)} KiB raw, ${(built.jsGzipBytes / 1024).toFixed(1)} KiB gzipped`,
  );
  console.log(`  first load over the wire (HTML, CSS, JS, API): ${(median(rows.wire!) / 1024).toFixed(1)} KiB`);
  console.log(`  raw baseline, bare GET /health navigation:    ${ms(median(rows.baseline!))}`);
  console.log(`  home first contentful paint:                  ${ms(median(rows.fcp!))}`);
  console.log(`  home time to interactive (listed + search):   ${ms(median(rows.tti!))}`);
  console.log(`  raw baseline, fetch of the 5,000-seat event:  ${ms(median(rows.mapRaw!))}`);
  console.log(`  seat map page to a drawn 5,000-seat map:      ${ms(median(rows.map!))}`);
} finally {
  await browser.close();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
}

// The on-sale load generator, in its own process (forked by bench/onsale.ts):
// every fan buys its seats one after the other (reserve, then pay) over
// keep-alive HTTP, all fans at once, fan i against instance i mod n (a load
// balancer's round robin). Reports every latency back over IPC.
import { Agent, request } from 'node:http';
import { answerOneJob } from './processes.js';

export interface LoadJob {
  urls: string[];
  fans: { token: string; seats: string[] }[];
  /** Purchases per fan done first and not counted (JIT, sockets, prepared statements). */
  warmup: number;
}

export interface LoadReport {
  reserveMs: number[];
  payMs: number[];
  purchaseMs: number[];
  /** "<step> <status> <error_code>" of every failed request. */
  failures: string[];
  wallSeconds: number;
}

const agent = new Agent({ keepAlive: true, maxSockets: 1024 });

function post(
  base: string,
  path: string,
  token: string,
  body: object,
): Promise<{ status: number; json: { data?: { order_id?: string }; error_code?: string } }> {
  const payload = JSON.stringify(body);
  const url = new URL(`/api${path}`, base);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

async function run(job: LoadJob): Promise<LoadReport> {
  const report: LoadReport = { reserveMs: [], payMs: [], purchaseMs: [], failures: [], wallSeconds: 0 };
  const buy = async (base: string, token: string, seatId: string, record: boolean) => {
    const t0 = performance.now();
    const reserved = await post(base, '/reserve', token, { seat_id: seatId });
    const t1 = performance.now();
    if (reserved.status !== 200) return void report.failures.push(`reserve ${reserved.status} ${reserved.json.error_code}`);
    const paid = await post(base, '/pay', token, { order_id: reserved.json.data!.order_id });
    const t2 = performance.now();
    if (paid.status !== 200) return void report.failures.push(`pay ${paid.status} ${paid.json.error_code}`);
    if (!record) return;
    report.reserveMs.push(t1 - t0);
    report.payMs.push(t2 - t1);
    report.purchaseMs.push(t2 - t0);
  };
  const fanBase = (i: number) => job.urls[i % job.urls.length]!;
  await Promise.all(
    job.fans.map(async (f, i) => {
      for (const seat of f.seats.slice(0, job.warmup)) await buy(fanBase(i), f.token, seat, false);
    }),
  );
  report.failures.length = 0;
  const started = performance.now();
  await Promise.all(
    job.fans.map(async (f, i) => {
      for (const seat of f.seats.slice(job.warmup)) await buy(fanBase(i), f.token, seat, true);
    }),
  );
  report.wallSeconds = (performance.now() - started) / 1000;
  return report;
}

answerOneJob(run);

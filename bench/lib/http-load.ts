// A GET load generator in its own process (forked by bench/seatmap.ts): N
// keep-alive connections each sending the next request as soon as the last
// answer is read in full, for a fixed time. Bodies are counted, never decoded.
// (autocannon parsed compressed, binary bodies so slowly that it measured
// itself rather than the server.)
import { Agent, request } from 'node:http';
import { answerOneJob } from './processes.js';

export interface HttpLoadJob {
  url: string;
  connections: number;
  seconds: number;
  headers: Record<string, string>;
}

export interface HttpLoadReport {
  requests: number;
  seconds: number;
  latenciesMs: number[];
  statuses: Record<string, number>;
  errors: number;
  bytes: number;
}

async function run(job: HttpLoadJob): Promise<HttpLoadReport> {
  const agent = new Agent({ keepAlive: true, maxSockets: job.connections });
  const report: HttpLoadReport = { requests: 0, seconds: 0, latenciesMs: [], statuses: {}, errors: 0, bytes: 0 };
  const once = () =>
    new Promise<void>((resolve) => {
      const t0 = performance.now();
      const req = request(job.url, { agent, headers: job.headers }, (res) => {
        res.on('data', (c: Buffer) => (report.bytes += c.length));
        res.on('end', () => {
          const cls = `${Math.floor((res.statusCode ?? 0) / 100)}xx`;
          report.statuses[cls] = (report.statuses[cls] ?? 0) + 1;
          report.latenciesMs.push(performance.now() - t0);
          report.requests++;
          resolve();
        });
        res.on('error', () => (report.errors++, resolve()));
      });
      req.on('error', () => (report.errors++, resolve()));
      req.end();
    });
  const started = performance.now();
  const deadline = started + job.seconds * 1000;
  await Promise.all(
    Array.from({ length: job.connections }, async () => {
      while (performance.now() < deadline) await once();
    }),
  );
  report.seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return report;
}

answerOneJob(run);

import type { HttpLoadJob, HttpLoadReport } from './http-load.js';
import { forkScript } from './processes.js';

export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Responses by status class, e.g. { '2xx': 1200 }. */
  statuses: Record<string, number>;
  errors: number;
  bytesPerSecond: number;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

/** Fires GET requests at `url` from a load generator in its OWN process (http-load.ts), so it never shares the server's event loop. */
export async function httpLoad(
  url: string,
  opts: { connections: number; seconds: number; headers?: Record<string, string> },
): Promise<LoadResult> {
  const child = forkScript('http-load.ts');
  const job: HttpLoadJob = { url, connections: opts.connections, seconds: opts.seconds, headers: opts.headers ?? {} };
  const r = await new Promise<HttpLoadReport>((resolve, reject) => {
    child.once('message', (m) => resolve(m as HttpLoadReport));
    child.once('exit', (code) => code !== 0 && reject(new Error(`load generator exited with ${code}`)));
    child.send(job);
  });
  const sorted = r.latenciesMs.sort((a, b) => a - b);
  return {
    requestsPerSecond: r.requests / r.seconds,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    statuses: r.statuses,
    errors: r.errors,
    bytesPerSecond: r.bytes / r.seconds,
  };
}

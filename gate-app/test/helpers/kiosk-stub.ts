// Plays the gate engine's local HTTP API for kiosk renderer tests: serves a built
// renderer, records every POST /scan and answers /status with whatever the test
// set. The engine itself has its own tests.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { extname, join } from 'node:path';

export interface StubScan {
  payload: string;
  source: string;
}

export interface KioskStub {
  base: string;
  scans: StubScan[];
  status: Record<string, unknown>;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json' };

export async function startKioskStub(dist: string, verdictFor: (scan: StubScan) => Record<string, unknown>): Promise<KioskStub> {
  const stub = { base: '', scans: [] as StubScan[], status: {} as Record<string, unknown>, close: async () => {} };
  const server = createServer((req, res) => {
    if (req.method === 'POST' && req.url === '/scan') {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const scan = JSON.parse(body) as StubScan;
        stub.scans.push(scan);
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(verdictFor(scan)));
      });
      return;
    }
    if (req.url === '/status') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(stub.status));
      return;
    }
    const file = (req.url ?? '/').split('?')[0] === '/' ? 'index.html' : (req.url ?? '').slice(1).split('?')[0]!;
    try {
      const data = readFileSync(join(dist, file));
      res.setHeader('content-type', TYPES[extname(file)] ?? 'application/octet-stream');
      res.end(data);
    } catch {
      res.statusCode = 404;
      res.end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  stub.base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  stub.close = () => new Promise<void>((r) => server.close(() => r()));
  return stub;
}

// Requests with exactly the headers an attacker controls (fetch forbids setting
// Host and Origin; node:http does not, and setHost: false sends no Host unless
// the caller gives one), for the local API's refusal tests.
import { request } from 'node:http';

export interface RawReply {
  status: number;
  body: string;
}

export function rawRequest(
  url: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<RawReply> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: u.hostname.replace(/^\[|\]$/g, ''),
        port: u.port,
        path: u.pathname + u.search,
        method: opts.method ?? 'GET',
        headers: opts.headers ?? {},
        setHost: false,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

/**
 * The ways a request that is not the kiosk's own tries to use the local API, each
 * otherwise perfect (the right token unless the token is the point): a page's
 * `text/plain` POST (no preflight), a foreign Origin, a DNS-rebound Host, and a
 * missing or wrong token. Each must be refused.
 */
export function attacks(base: string, token: string, payload: string): { name: string; send(): Promise<RawReply> }[] {
  const host = new URL(base).host;
  const body = JSON.stringify({ payload, source: 'attack' });
  const good = { host, authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const scan =
    (headers: Record<string, string>, text = body) =>
    () =>
      rawRequest(`${base}/scan`, { method: 'POST', headers, body: text });
  const port = new URL(base).port;
  return [
    { name: 'text/plain POST', send: scan({ ...good, 'content-type': 'text/plain' }) },
    { name: 'form POST', send: scan({ ...good, 'content-type': 'application/x-www-form-urlencoded' }, `payload=${payload}`) },
    { name: 'no content type', send: scan({ host, authorization: good.authorization }) },
    { name: 'foreign Origin', send: scan({ ...good, origin: 'https://evil.example' }) },
    { name: 'look-alike Origin', send: scan({ ...good, origin: `http://127.0.0.1:${port}.evil.example` }) },
    { name: 'null Origin', send: scan({ ...good, origin: 'null' }) },
    { name: 'rebound Host', send: scan({ ...good, host: `evil.example:${port}` }) },
    { name: 'Host on another port', send: scan({ ...good, host: '127.0.0.1:1' }) },
    { name: 'no Host', send: scan({ authorization: good.authorization, 'content-type': 'application/json' }) },
    { name: 'missing token', send: scan({ host, 'content-type': 'application/json' }) },
    { name: 'wrong token', send: scan({ ...good, authorization: `Bearer ${'A'.repeat(token.length)}` }) },
    { name: 'token in another scheme', send: scan({ ...good, authorization: `Basic ${token}` }) },
  ];
}

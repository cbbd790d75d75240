import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';

/**
 * A man in the middle for tests: forwards every request to the real server
 * and lets the test rewrite what comes back — a whole JSON reply (headers
 * included), or each complete SSE frame of the live stream — as an attacker
 * on the hall network could.
 */
export interface Tamper {
  /** Rewrites a reply; return it unchanged to pass it through. */
  reply?: (r: TamperedReply) => { headers: Record<string, string>; body: Buffer };
  /** Rewrites one SSE frame (text up to and without its blank line). */
  frame?: (frame: string) => string;
}

export interface TamperedReply {
  method: string;
  path: string;
  requestHeaders: Record<string, string | string[] | undefined>;
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export interface TamperProxy {
  url: string;
  tamper: Tamper;
  close(): Promise<void>;
}

export async function startTamperProxy(upstream: string, opts: { ca?: string } = {}): Promise<TamperProxy> {
  const target = new URL(upstream);
  const secure = target.protocol === 'https:';
  const proxy: TamperProxy = { url: '', tamper: {}, close: async () => {} };
  const server: Server = createServer((req, res) => {
    const headers = { ...req.headers, host: target.host };
    // Plain bodies, so a changed byte is a changed byte of what was signed.
    delete headers['accept-encoding'];
    const send = secure ? httpsRequest : httpRequest;
    const up = send(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers, ...(opts.ca ? { ca: opts.ca } : {}) },
      (upRes: IncomingMessage) => {
        const h: Record<string, string> = {};
        for (const [k, v] of Object.entries(upRes.headers)) if (typeof v === 'string') h[k] = v;
        if ((h['content-type'] ?? '').includes('text/event-stream')) return pipeStream(upRes, h, res);
        const chunks: Buffer[] = [];
        upRes.on('data', (c: Buffer) => chunks.push(c));
        upRes.on('end', () => {
          let out: { headers: Record<string, string>; body: Buffer } = { headers: h, body: Buffer.concat(chunks) };
          if (proxy.tamper.reply)
            out = proxy.tamper.reply({
              method: req.method ?? 'GET',
              path: req.url ?? '/',
              requestHeaders: req.headers,
              status: upRes.statusCode ?? 502,
              ...out,
            });
          delete out.headers['transfer-encoding'];
          out.headers['content-length'] = String(out.body.length);
          res.writeHead(upRes.statusCode ?? 502, out.headers);
          res.end(out.body);
        });
      },
    );
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  const pipeStream = (upRes: IncomingMessage, h: Record<string, string>, res: ServerResponse) => {
    res.writeHead(upRes.statusCode ?? 200, h);
    let buf = '';
    upRes.setEncoding('utf8');
    upRes.on('data', (c: string) => {
      buf += c;
      let cut: number;
      while ((cut = buf.indexOf('\n\n')) >= 0) {
        const frame = buf.slice(0, cut);
        buf = buf.slice(cut + 2);
        res.write(`${proxy.tamper.frame ? proxy.tamper.frame(frame) : frame}\n\n`);
      }
    });
    upRes.on('end', () => res.end());
    res.on('close', () => upRes.destroy());
  };
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  proxy.url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  proxy.close = async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  };
  return proxy;
}

/** The reply's envelope rewritten by `edit` (as an attacker who understands the protocol would). */
export function rewriteJson(body: Buffer, edit: (env: { data: Record<string, unknown> }) => void): Buffer {
  const env = JSON.parse(body.toString('utf8')) as { data: Record<string, unknown> };
  edit(env);
  return Buffer.from(JSON.stringify(env));
}

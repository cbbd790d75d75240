import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * A TCP relay in front of the server that a test can cut: gates behind it go
 * offline (connections reset, new ones refused) while a browser talking to the
 * server directly stays connected, then come back when it is restored.
 */
export interface CutProxy {
  url: string;
  cut(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startCutProxy(upstream: string): Promise<CutProxy> {
  const target = new URL(upstream);
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  const listen = () =>
    new Promise<void>((resolve) => {
      server = createServer((client) => {
        const up = connect(Number(target.port), target.hostname);
        for (const s of [client, up]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => s.destroy());
        }
        client.pipe(up).pipe(client);
        client.on('close', () => up.destroy());
        up.on('close', () => client.destroy());
      });
      server.listen(port, '127.0.0.1', () => {
        port = (server!.address() as { port: number }).port;
        resolve();
      });
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      if (server) server.close(() => resolve());
      else resolve();
      server = undefined;
    });
  await listen();
  return { url: `http://127.0.0.1:${port}`, cut: stop, restore: listen, close: stop };
}

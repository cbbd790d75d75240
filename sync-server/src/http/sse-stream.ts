import { PassThrough } from 'node:stream';
import type { FastifyReply } from 'fastify';

/** A stream comment this often keeps proxies and browsers from closing an idle stream. */
export const SSE_HEARTBEAT_MS = 15_000;
/** A client that stopped reading would buffer without bound: it is dropped instead (it reconnects and starts over). */
const MAX_BACKLOG_BYTES = 1024 * 1024;

export interface SseStream {
  /** One `event:` + `data:` message (dropped after the stream ended). */
  send(event: string, data: unknown): void;
  end(): void;
  /** Called once when the stream ends, by either side (at once if it already has). */
  onEnd(fn: () => void): void;
  /** Hands the stream to Fastify as the reply (headers for an event stream, no buffering by proxies). */
  reply(reply: FastifyReply): FastifyReply;
}

/** A plain (unsigned) server-sent events stream on a reply, ended when the client goes away. */
export function openSseStream(reply: FastifyReply): SseStream {
  const stream = new PassThrough();
  const enders: (() => void)[] = [];
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    clearInterval(heartbeat);
    for (const fn of enders) fn();
    stream.end();
  };
  const heartbeat = setInterval(() => stream.write(': heartbeat\n\n'), SSE_HEARTBEAT_MS);
  reply.raw.on('close', end);
  stream.write('retry: 3000\n\n');
  return {
    send(event, data) {
      if (ended) return;
      if (stream.writableLength > MAX_BACKLOG_BYTES) return end();
      stream.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    end,
    onEnd: (fn) => (ended ? fn() : void enders.push(fn)),
    reply: (r) =>
      r
        .header('content-type', 'text/event-stream; charset=utf-8')
        .header('cache-control', 'no-cache, no-transform')
        .header('x-accel-buffering', 'no')
        .header('connection', 'close')
        // The payload is a stream: Fastify pipes it and never runs the serializer.
        .send(stream as never),
  };
}

import type { FastifyReply, FastifyRequest } from 'fastify';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';

const gzipAsync = promisify(gzip);
/** Below this a gzip costs more than it saves. */
const MIN_BYTES = 1024;

/**
 * onSend hook for routes with large JSON answers (a 5,000-seat map is about
 * 700 KB, about 60 KB gzipped): gzip when the client accepts it. Level 2 is
 * within a few per cent of the default's size on seat JSON, in two thirds of its time.
 */
export async function gzipLargeJson(req: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> {
  void reply.header('vary', 'accept-encoding');
  if (typeof payload !== 'string' || payload.length < MIN_BYTES || reply.statusCode !== 200) return payload;
  if (!/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) return payload;
  void reply.header('content-encoding', 'gzip');
  return gzipAsync(payload, { level: 2 });
}

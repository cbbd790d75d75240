import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../domain/errors.js';

export interface RateLimit {
  max: number;
  windowMs?: number;
  /** What is counted; the client address (IPv6 by /64) when omitted. */
  key?: (req: FastifyRequest) => string;
}

/** Makes `createRateLimit` available in this plugin's scope; nothing is limited until a route asks. Counters live in each instance's memory. */
export async function useRateLimits(app: FastifyInstance): Promise<void> {
  if (!app.hasDecorator('createRateLimit')) await app.register(rateLimit, { global: false });
}

/**
 * A hook counting the request against every limit (each with its own counters)
 * and answering 429 RATE_LIMITED with Retry-After as soon as one is exceeded.
 */
export function rateLimitHook(app: FastifyInstance, limits: RateLimit[]) {
  const checks = limits.map((l) =>
    app.createRateLimit({ max: l.max, timeWindow: l.windowMs ?? 60_000, ...(l.key ? { keyGenerator: l.key } : {}) }),
  );
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    for (const check of checks) {
      const r = await check(req);
      if (!r.isAllowed && r.isExceeded) {
        void reply.header('retry-after', String(r.ttlInSeconds));
        throw new DomainError('RATE_LIMITED', `Too many attempts. Try again in ${r.ttlInSeconds} s.`);
      }
    }
  };
}

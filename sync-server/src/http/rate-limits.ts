import { isIPv6 } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import { DomainError } from '../domain/errors.js';
import type { RateLimiter } from './rate-limiter.js';

/** A limit: at most `max` hits per `windowMs` for one key of this kind. */
export interface Limit {
  /** Names the counter, so the same key under two limits has two counters. */
  name: string;
  max: number;
  windowMs: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * The limits of the server, from the config. Per address they are generous (a
 * venue's Wi-Fi or a mobile carrier puts thousands of fans behind one address);
 * per account they are strict and count failures only, in two tiers — a
 * minute, then an hour — so a guesser waits longer and longer.
 */
export function limitsOf(config: Config) {
  const failures = (name: string): Limit[] => [
    { name: `${name}:m`, max: config.RATE_LIMIT_AUTH_PER_MINUTE, windowMs: MINUTE },
    { name: `${name}:h`, max: config.RATE_LIMIT_AUTH_PER_HOUR, windowMs: HOUR },
  ];
  return {
    address: { name: 'addr', max: config.RATE_LIMIT_ADDRESS_PER_MINUTE, windowMs: MINUTE } satisfies Limit,
    loginFailures: failures('login'),
    otpFailures: failures('otp'),
    confirmFailures: failures('confirm'),
    reserve: { name: 'reserve', max: config.RATE_LIMIT_RESERVE_PER_MINUTE, windowMs: MINUTE } satisfies Limit,
    refresh: { name: 'refresh', max: config.RATE_LIMIT_REFRESH_PER_MINUTE, windowMs: MINUTE } satisfies Limit,
    deviceBind: { name: 'device-bind', max: config.RATE_LIMIT_DEVICE_BIND_PER_HOUR, windowMs: HOUR } satisfies Limit,
  };
}

/**
 * The client address a limit counts: Fastify's `req.ip`, which follows
 * X-Forwarded-For only as far as TRUST_PROXY allows. IPv6 clients are counted
 * by /64, the block one subscriber usually gets.
 */
export function addressKey(req: FastifyRequest): string {
  const ip = req.ip;
  if (!isIPv6(ip) || ip.startsWith('::ffff:')) return ip;
  const [head = '', tail = ''] = ip.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups.slice(0, 4).join(':')}::/64`;
}

function refuse(reply: FastifyReply, retryAfterMs: number): never {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  void reply.header('retry-after', String(seconds));
  throw new DomainError('RATE_LIMITED', `Too many attempts. Try again in ${seconds} s.`);
}

/** Counts one request against `limit` for `key`; past the limit answers 429 RATE_LIMITED with Retry-After. */
export async function enforceLimit(limiter: RateLimiter, reply: FastifyReply, limit: Limit, key: string): Promise<void> {
  const c = await limiter.hit(`${limit.name}:${key}`, limit.windowMs);
  if (c.hits > limit.max) refuse(reply, c.retryAfterMs);
}

/** A hook counting every request against a per-request limit (the key read from the request). */
export function limitHook(limiter: RateLimiter, limit: Limit, key: (req: FastifyRequest) => string = addressKey) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => enforceLimit(limiter, reply, limit, key(req));
}

/**
 * Runs an attempt that can fail on a guessed secret (password, code) under
 * per-key failure limits. The attempt is counted before it runs — so parallel
 * guesses cannot slip past the limit — and taken back when it succeeds or fails
 * for another reason than `isFailure` says.
 */
export async function limitFailures<T>(
  limiter: RateLimiter,
  reply: FastifyReply,
  limits: Limit[],
  key: string,
  isFailure: (err: unknown) => boolean,
  attempt: () => Promise<T>,
): Promise<T> {
  const keys = limits.map((l) => `${l.name}:${key}`);
  const counts = await Promise.all(limits.map((l, i) => limiter.hit(keys[i]!, l.windowMs)));
  const over = counts.findIndex((c, i) => c.hits > limits[i]!.max);
  if (over >= 0) {
    // A refused attempt is no guess: it does not extend the wait.
    await Promise.all(keys.map((k) => limiter.undo(k)));
    refuse(reply, Math.max(...counts.filter((c, i) => c.hits > limits[i]!.max).map((c) => c.retryAfterMs)));
  }
  try {
    const result = await attempt();
    await Promise.all(keys.map((k) => limiter.undo(k)));
    return result;
  } catch (err) {
    if (!isFailure(err)) await Promise.all(keys.map((k) => limiter.undo(k)));
    throw err;
  }
}

/** Failure predicate: a domain error with one of these codes. */
export const failsWith =
  (...codes: string[]) =>
  (err: unknown): boolean =>
    err instanceof DomainError && codes.includes(err.code);

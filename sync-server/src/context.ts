import { pino, type Logger } from 'pino';
import { Registry, collectDefaultMetrics } from 'prom-client';
import type { Config } from './config.js';
import { createPool, type Pool } from './db/pool.js';
import { ServiceCounters } from './domain/analytics/service-counters.js';
import { pruneTokensJob } from './domain/auth/prune-tokens.js';
import { createPasswordService, type PasswordService } from './domain/auth/passwords.js';
import { createSessionCheck, type SessionCheck } from './domain/auth/session-check.js';
import { createTokenSigner, type TokenSigner } from './domain/auth/tokens.js';
import { ChatHub } from './domain/chat/chat-hub.js';
import { fraudRulesJob } from './domain/fraud/fraud-job.js';
import { KeyStore } from './domain/keys/key-store.js';
import { SyncKeyStore } from './domain/keys/sync-keys.js';
import { keyRotationJob } from './domain/keys/rotate-keys.js';
import { DoorFeeds } from './domain/live/door-feeds.js';
import { LiveBus } from './domain/live/live-bus.js';
import { ScalperModelStore } from './domain/ml/scalper-model-store.js';
import { scalperRetrainJob } from './domain/ml/scalper-retrain-job.js';
import { SeatMapCache } from './http/seat-map-cache.js';
import type { OtpFlows } from './domain/otp/contexts.js';
import { verifyPurchaseOtp } from './domain/purchase/purchase-otp.js';
import { holdSweeperJob } from './domain/purchase/sweep-expired-holds.js';
import { transferExpiryJob } from './domain/transfers/expire-transfers.js';
import { verifyTransferOtp } from './domain/transfers/otp-context.js';
import type { BackgroundJob } from './jobs.js';
import { createPaymentsProvider, type PaymentsProvider } from './providers/payments.js';
import { createRateLimiter, pruneRateLimitsJob, type RateLimiter } from './http/rate-limiter.js';
import { createSmsProvider, type SmsProvider } from './providers/sms.js';

export type { Logger } from 'pino';

/**
 * What every route and domain module may use: built once in `createContext`
 * (the composition root) and passed to `build()`, so tests can build an app on
 * their own database and clock. Nothing in sync-server registers itself at
 * import time: every service, flow and job a server has is named here.
 */
export interface AppContext {
  config: Config;
  /** The process's logger; the HTTP app logs through it too. */
  log: Logger;
  pool: Pool;
  signer: TokenSigner;
  keys: KeyStore;
  /** The key that signs what gates trust (docs/sync-protocol.md, "Signed sync"). */
  syncKeys: SyncKeyStore;
  /** argon2id hashing on worker threads; closed with the app. */
  passwords: PasswordService;
  sms: SmsProvider;
  /** Card payments for credit top-ups (Stripe, or its local stand-in in the demo). */
  payments: PaymentsProvider;
  /** Live notifications (LISTEN/NOTIFY) for the gates' SSE streams and the instance's caches. */
  live: LiveBus;
  /** The operators' live door streams (GET /api/ops/live), one shared watch per event, fed by `live`. */
  doorFeeds: DoorFeeds;
  /** Live chat fan-out across instances (LISTEN/NOTIFY) for the chat sockets; started by the first socket. */
  chat: ChatHub;
  /** Scalper model versions (PostgreSQL), the latest loaded by each instance. */
  scalper: ScalperModelStore;
  /** Per-instance counters of the Veritix services, shown on /metrics. */
  counters: ServiceCounters;
  /** GET /api/events/{id}: this instance's rendered, compressed seat maps. */
  seatMaps: SeatMapCache;
  /** Is this access token's session still open, and what is its user's role now (cached, NOTIFY-invalidated). */
  sessions: SessionCheck;
  /** Counters of the rate limits (this instance's memory, or PostgreSQL with RATE_LIMIT_STORE=postgres). */
  limiter: RateLimiter;
  /** The flows /api/verify-otp dispatches to, by `context`. */
  otpFlows: OtpFlows;
  /** Background jobs `startJobs` runs. */
  jobs: readonly BackgroundJob[];
  /** Process metrics (CPU, memory, event loop, GC) appended to /metrics. */
  processMetrics: Registry;
  /** Injectable clock (ms since epoch) so expiry logic is testable. */
  now(): number;
}

declare module 'fastify' {
  interface FastifyInstance {
    ctx: AppContext;
  }
}

export interface ContextOptions {
  /** Defaults to a pino logger at LOG_LEVEL on stdout. */
  log?: Logger;
  /** Shared by the apps of one process that build several (a peer in tests): they observe the same process. */
  processMetrics?: Registry;
}

function defaultProcessMetrics(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}

/** The composition root: builds every service of one server from its config and database. */
export function createContext(config: Config, databaseUrl: string, opts: ContextOptions = {}): AppContext {
  const log = opts.log ?? pino({ level: config.LOG_LEVEL });
  const pool = createPool(databaseUrl, { max: config.DATABASE_POOL_SIZE, log });
  const keys = new KeyStore(pool, config.MASTER_KEY, {
    skewSeconds: config.QR_CLOCK_SKEW_SECONDS,
    stepSkew: config.PASS_STEP_SKEW,
    overlapSeconds: config.KEY_ROTATION_OVERLAP_SECONDS,
  });
  const live = new LiveBus(databaseUrl, { log: (msg, err) => log.warn({ err }, msg) });
  // A rotation on any instance (NOTIFY) drops this instance's cached keys; so does a lost LISTEN connection (a rotation may have gone unheard).
  live.observe({ notice: (n) => n.k === 'keys' && keys.invalidate(), resync: () => keys.invalidate() });
  const ctx: AppContext = {
    config,
    log,
    pool,
    signer: createTokenSigner(config.JWT_SECRET),
    keys,
    syncKeys: new SyncKeyStore(pool, config.MASTER_KEY),
    passwords: createPasswordService(config),
    sms: createSmsProvider(config, pool),
    payments: createPaymentsProvider(config),
    live,
    doorFeeds: new DoorFeeds(pool, live, () => ctx.now(), { log: (msg, err) => log.warn({ err }, msg) }),
    seatMaps: new SeatMapCache(pool),
    sessions: createSessionCheck(pool, live),
    limiter: createRateLimiter(config.RATE_LIMIT_STORE, pool),
    chat: new ChatHub(databaseUrl, pool, (msg, err) => log.warn({ err }, msg)),
    scalper: new ScalperModelStore(pool, () => ctx.now()),
    counters: new ServiceCounters(),
    otpFlows: { purchase: { verify: verifyPurchaseOtp }, transfer: { verify: verifyTransferOtp } },
    jobs: [holdSweeperJob, transferExpiryJob, pruneTokensJob, pruneRateLimitsJob, fraudRulesJob, scalperRetrainJob, keyRotationJob],
    processMetrics: opts.processMetrics ?? defaultProcessMetrics(),
    now: () => Date.now(),
  };
  return ctx;
}

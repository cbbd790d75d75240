import type { Config } from './config.js';
import type { ServiceCounters } from './domain/analytics/service-counters.js';
import type { ChatHub } from './domain/chat/chat-hub.js';
import type { ScalperModelStore } from './domain/ml/scalper-model-store.js';
import type { Pool } from './db/pool.js';
import type { TokenSigner } from './domain/auth/tokens.js';
import type { KeyStore } from './domain/keys/key-store.js';
import type { LiveBus } from './domain/live/live-bus.js';
import type { PaymentsProvider } from './providers/payments.js';
import type { SmsProvider } from './providers/sms.js';

/**
 * What every route and domain module may use: built once in `createContext`
 * (server.ts) and passed to `build()`, so tests can build an app on their own
 * database and clock.
 */
export interface AppContext {
  config: Config;
  pool: Pool;
  signer: TokenSigner;
  keys: KeyStore;
  sms: SmsProvider;
  /** Card payments for credit top-ups (Stripe, or its local stand-in in the demo). */
  payments: PaymentsProvider;
  /** Live notifications (LISTEN/NOTIFY) for the gates' SSE streams. */
  live: LiveBus;
  /** Per-instance counters of the Veritix services, shown on /metrics. */
  counters: ServiceCounters;
  /** Live chat fan-out across instances (LISTEN/NOTIFY) for the chat sockets. */
  chat: ChatHub;
  /** Scalper model versions (PostgreSQL), the latest loaded by each instance. */
  scalper: ScalperModelStore;
  /** Injectable clock (ms since epoch) so expiry logic is testable. */
  now(): number;
}

declare module 'fastify' {
  interface FastifyInstance {
    ctx: AppContext;
  }
}

import type { Config } from './config.js';
import type { Pool } from './db/pool.js';
import type { TokenSigner } from './domain/auth/tokens.js';
import type { KeyStore } from './domain/keys/key-store.js';
import type { SyncKeyStore } from './domain/keys/sync-keys.js';
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
  /** The key that signs what gates trust (docs/sync-protocol.md). */
  syncKeys: SyncKeyStore;
  sms: SmsProvider;
  /** Card payments for credit top-ups (Stripe, or its local stand-in in the demo). */
  payments: PaymentsProvider;
  /** Live notifications (LISTEN/NOTIFY) for the gates' SSE streams. */
  live: LiveBus;
  /** Injectable clock (ms since epoch) so expiry logic is testable. */
  now(): number;
}

declare module 'fastify' {
  interface FastifyInstance {
    ctx: AppContext;
  }
}

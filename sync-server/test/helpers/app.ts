import type { FastifyInstance } from 'fastify';
import { build } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import type { AppContext } from '../../src/context.js';
import { seedDemo, DEMO_ACCOUNTS } from '../../src/db/seed.js';
import { createContext } from '../../src/server.js';
import type { Role } from '../../src/domain/auth/roles.js';
import { openSession } from '../../src/domain/auth/sessions.js';
import { createTestDatabase } from './db.js';

export interface TestApp {
  app: FastifyInstance;
  ctx: AppContext;
  config: Config;
  databaseUrl: string;
  /** Controllable clock: `clock.advance(ms)` moves `ctx.now()`. */
  clock: { now(): number; advance(ms: number): void; set(ms: number): void; real(): void };
  close(): Promise<void>;
}

/** Cheap password hashing in tests: argon2id still, with minimum parameters. */
export const TEST_ENV = {
  NODE_ENV: 'test',
  LOG_LEVEL: 'silent',
  PASSWORD_HASH_OPS: '1',
  PASSWORD_HASH_MEM_MIB: '8',
  DEMO: 'false',
  // Tests run on a DATABASE_URL, where the built-in development secrets are refused.
  JWT_SECRET: 'test-only-jwt-secret-0123456789abcdef0123',
  MASTER_KEY: 'test-only-master-key-0123456789abcdef0123',
  OTP_PEPPER: 'test-only-otp-pepper',
} as const;

export async function createTestApp(
  opts: {
    env?: Record<string, string>;
    seed?: boolean;
    routes?: (app: FastifyInstance) => void;
    /** Services to replace in the context (a test's own OTP flows, jobs, providers). */
    context?: Partial<Omit<AppContext, 'now'>>;
  } = {},
): Promise<TestApp> {
  const db = await createTestDatabase();
  const config = loadConfig({ ...TEST_ENV, DATABASE_URL: db.url, ...opts.env });
  const base = createContext(config, db.url);
  let offset = 0;
  let fixed: number | undefined;
  const clock = {
    now: () => (fixed ?? Date.now()) + offset,
    advance: (ms: number) => void (offset += ms),
    set: (ms: number) => void (fixed = ms),
    real: () => {
      offset = 0;
      fixed = undefined;
    },
  };
  const ctx: AppContext = { ...base, ...opts.context, now: clock.now };
  if (opts.seed) await seedDemo(ctx);
  const app = await build(ctx, { logger: false });
  opts.routes?.(app);
  await app.ready();
  await ctx.live.start();
  return {
    app,
    ctx,
    config,
    databaseUrl: db.url,
    clock,
    async close() {
      await ctx.live.stop();
      await app.close();
      await ctx.pool.end();
      await db.drop();
    },
  };
}

/**
 * An access token for a user straight from the signer, in a session of its
 * own (tests of other routes need not log in). `role` only goes into the claim:
 * the server reads the role from the database.
 */
export async function tokenFor(t: Pick<TestApp, 'ctx'>, userId: string, role: Role, ttlSeconds = 900): Promise<string> {
  const session = await openSession(t.ctx.pool, userId, Date.now());
  const { token } = await t.ctx.signer.sign({ userId, role, typ: 'access', ttlSeconds, session });
  return token;
}

export async function demoUser(t: TestApp, email: string): Promise<{ id: string; role: Role; token: string }> {
  const { rows } = await t.ctx.pool.query<{ id: string; role: Role }>('SELECT id, role FROM users WHERE lower(email) = lower($1)', [email]);
  const u = rows[0];
  if (!u) throw new Error(`no user ${email}`);
  return { ...u, token: await tokenFor(t, u.id, u.role) };
}

export const DEMO = Object.fromEntries(DEMO_ACCOUNTS.map((a) => [a.email.split('@')[0]!, a.email])) as Record<
  'fan' | 'fan2' | 'flagged' | 'staff' | 'operator' | 'admin',
  string
>;

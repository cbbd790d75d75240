import { z } from 'zod';

/**
 * Every setting of the server, read once from the environment at start-up.
 * Secrets have development defaults only in demo mode; production refuses to
 * start without them (docs/operations.md lists every variable).
 */
const bool = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no'])
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: z.string().url().optional(),
  PG_DATA_DIR: z.string().min(1).default('./data/pg'),
  PG_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
  DEMO: bool.optional(),
  JWT_SECRET: z.string().min(32).optional(),
  MASTER_KEY: z.string().min(32).optional(),
  OTP_PEPPER: z.string().min(16).optional(),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).default(900),
  REFRESH_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).default(7 * 24 * 3600),
  HOLD_TTL_SECONDS: z.coerce.number().int().min(5).default(300),
  SWEEP_INTERVAL_MS: z.coerce.number().int().min(100).default(5000),
  TRANSFER_TTL_SECONDS: z.coerce.number().int().min(60).default(24 * 3600),
  QR_CLOCK_SKEW_SECONDS: z.coerce.number().int().min(0).max(300).default(10),
  PASSWORD_HASH_OPS: z.coerce.number().int().min(1).default(2),
  PASSWORD_HASH_MEM_MIB: z.coerce.number().int().min(8).default(64),
  PASSWORD_HASH_WORKERS: z.coerce.number().int().min(0).max(64).default(2),
  RATE_LIMIT_AUTH_PER_MINUTE: z.coerce.number().int().min(1).default(10),
  RATE_LIMIT_OTP_PER_MINUTE: z.coerce.number().int().min(1).default(5),
  STRIPE_SECRET_KEY: z.string().min(1).optional(),
  STRIPE_WEBHOOK_SECRET: z.string().min(1).optional(),
  STRIPE_API_URL: z.string().url().optional(),
  /** pk_… for Stripe.js in the fan app (real Stripe only; the stand-in needs none). */
  STRIPE_PUBLISHABLE_KEY: z.string().regex(/^pk_/, 'must be a Stripe publishable key (pk_…)').optional(),
  /** Where the built fan web app is, relative to the working directory like PG_DATA_DIR (npm run build writes web/dist). */
  WEB_APP_DIR: z.string().min(1).default('web/dist'),
  SERVICE_API_KEY: z.string().min(16).optional(),
  /** organizer/platform/charity percentages of POST /api/calculate-revenue-share (docs/analytics.md). */
  REVENUE_SHARE_SPLIT: z.string().regex(/^\d{1,3}(\.\d{1,2})?(\/\d{1,3}(\.\d{1,2})?){2}$/, 'three percentages like 85/10/5').default('85/10/5'),
});

export type Env = z.infer<typeof EnvSchema>;

export interface Config extends Omit<Env, 'DEMO' | 'JWT_SECRET' | 'MASTER_KEY' | 'OTP_PEPPER'> {
  DEMO: boolean;
  JWT_SECRET: string;
  MASTER_KEY: string;
  OTP_PEPPER: string;
  /** True when secrets were filled with development defaults. */
  usingDevSecrets: boolean;
}

export class ConfigError extends Error {
  constructor(readonly variable: string, detail: string) {
    super(`Invalid configuration: ${variable}: ${detail}`);
  }
}

const DEV_SECRETS = {
  JWT_SECRET: 'dev-only-jwt-secret-change-me-0123456789abcdef',
  MASTER_KEY: 'dev-only-master-key-change-me-0123456789abcdef',
  OTP_PEPPER: 'dev-only-otp-pepper',
} as const;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Empty strings are how shells unset things; treat them as absent.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(String(issue.path[0] ?? 'environment'), issue.message);
  }
  const e = parsed.data;
  const demo = e.DEMO ?? (e.DATABASE_URL === undefined && e.NODE_ENV !== 'production');
  let usingDevSecrets = false;
  const secret = (name: keyof typeof DEV_SECRETS): string => {
    const v = e[name];
    if (v) return v;
    if (e.NODE_ENV === 'production') throw new ConfigError(name, 'required in production');
    usingDevSecrets = true;
    return DEV_SECRETS[name];
  };
  return {
    ...e,
    DEMO: demo,
    JWT_SECRET: secret('JWT_SECRET'),
    MASTER_KEY: secret('MASTER_KEY'),
    OTP_PEPPER: secret('OTP_PEPPER'),
    usingDevSecrets,
  };
}

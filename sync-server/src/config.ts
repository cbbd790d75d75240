import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { z } from 'zod';

/**
 * Every setting of the server, read once from the environment at start-up.
 * Secrets have development defaults only on a loopback-only server on the
 * embedded database; anywhere else it refuses to start without them
 * (README's configuration table lists every variable).
 */
const bool = z.enum(['1', '0', 'true', 'false', 'yes', 'no']).transform((v) => v === '1' || v === 'true' || v === 'yes');

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: z.string().url().optional(),
  PG_DATA_DIR: z.string().min(1).default('./data/pg'),
  PG_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
  /** Connections of the app's pool per instance (bench/onsale measures the choice; docs/scaling.md). */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(500).default(20),
  DEMO: bool.optional(),
  JWT_SECRET: z.string().min(32).optional(),
  MASTER_KEY: z.string().min(32).optional(),
  OTP_PEPPER: z.string().min(16).optional(),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).default(900),
  REFRESH_TOKEN_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .default(7 * 24 * 3600),
  HOLD_TTL_SECONDS: z.coerce.number().int().min(5).default(300),
  SWEEP_INTERVAL_MS: z.coerce.number().int().min(100).default(5000),
  TRANSFER_TTL_SECONDS: z.coerce.number().int().min(60).default(900),
  /** Wrong confirmations (either party's code) one transfer survives; the next attempt is refused until it expires. */
  TRANSFER_MAX_CONFIRM_FAILURES: z.coerce.number().int().min(1).default(3),
  /** Seats one account may hold at once in one event. */
  MAX_HOLDS_PER_USER: z.coerce.number().int().min(1).default(8),
  /** Scheduled rotation of the issuing key and every gate key older than this; 0 turns the schedule off. */
  KEY_ROTATION_INTERVAL_HOURS: z.coerce.number().min(0).default(720),
  /** How long a retired key still verifies: covers codes on screens and gates not yet re-synced. */
  KEY_ROTATION_OVERLAP_SECONDS: z.coerce.number().int().min(0).default(900),
  KEY_ROTATION_CHECK_INTERVAL_MS: z.coerce.number().int().min(1000).default(600_000),
  QR_CLOCK_SKEW_SECONDS: z.coerce.number().int().min(0).max(300).default(10),
  /** Device-bound codes: how many 15-second steps a phone's clock may be behind or ahead (docs/qr-format.md). */
  PASS_STEP_SKEW: z.coerce.number().int().min(0).max(8).default(1),
  /** Binding a device key to a ticket, per account and hour (each bind issues a pass; a re-bind ends the old phone's). */
  RATE_LIMIT_DEVICE_BIND_PER_HOUR: z.coerce.number().int().min(1).default(20),
  /** An event admits until this long after its start unless it sets its own end (docs/sync-protocol.md, "Admissions with proof"). */
  ADMISSION_CLOSE_AFTER_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 14)
    .default(12),
  /** How far an uploaded admission's time may lie outside its sale or the event's window (gate clocks drift). */
  ADMISSION_SKEW_SECONDS: z.coerce.number().int().min(0).max(3600).default(60),
  PASSWORD_HASH_OPS: z.coerce.number().int().min(1).default(2),
  PASSWORD_HASH_MEM_MIB: z.coerce.number().int().min(8).default(64),
  PASSWORD_HASH_WORKERS: z.coerce.number().int().min(0).max(64).default(2),
  /** Per account: failed logins, wrong codes, failed transfer confirmations in a minute… */
  RATE_LIMIT_AUTH_PER_MINUTE: z.coerce.number().int().min(1).default(10),
  /** …and in an hour (the second tier of the backoff). */
  RATE_LIMIT_AUTH_PER_HOUR: z.coerce.number().int().min(1).default(30),
  /** Codes sent to one account per minute. */
  RATE_LIMIT_OTP_PER_MINUTE: z.coerce.number().int().min(1).default(5),
  /** Per client address: auth, refresh and code requests per minute (generous: many fans share one NAT). */
  RATE_LIMIT_ADDRESS_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  /** Per account: reserve requests per minute. */
  RATE_LIMIT_RESERVE_PER_MINUTE: z.coerce.number().int().min(1).default(60),
  /** Per session: refreshes per minute. */
  RATE_LIMIT_REFRESH_PER_MINUTE: z.coerce.number().int().min(1).default(20),
  /** Where counters live: this instance's memory, or PostgreSQL (shared by every instance). */
  RATE_LIMIT_STORE: z.enum(['memory', 'postgres']).default('memory'),
  /** Which proxies to believe about the client address (X-Forwarded-For): a hop count or a list of addresses/CIDRs. */
  TRUST_PROXY: z.string().optional(),
  /** SMS provider: twilio in production; the outbox only in development and tests. Default: twilio when TWILIO_ACCOUNT_SID is set. */
  SMS_PROVIDER: z.enum(['twilio', 'outbox']).optional(),
  TWILIO_ACCOUNT_SID: z
    .string()
    .regex(/^AC[0-9a-fA-F]{32}$/, 'AC followed by 32 hex digits')
    .optional(),
  TWILIO_AUTH_TOKEN: z.string().min(16).optional(),
  TWILIO_FROM: z
    .string()
    .regex(/^\+[1-9]\d{6,14}$/, 'an E.164 number like +6591234567')
    .optional(),
  TWILIO_MESSAGING_SERVICE_SID: z
    .string()
    .regex(/^MG[0-9a-fA-F]{32}$/, 'MG followed by 32 hex digits')
    .optional(),
  /** Another Twilio API base URL (the local stand-in in development and tests). */
  TWILIO_API_URL: z.string().url().optional(),
  STRIPE_SECRET_KEY: z.string().min(1).optional(),
  STRIPE_WEBHOOK_SECRET: z.string().min(1).optional(),
  STRIPE_API_URL: z.string().url().optional(),
  /** pk_… for Stripe.js in the fan app (real Stripe only; the stand-in needs none). */
  STRIPE_PUBLISHABLE_KEY: z.string().regex(/^pk_/, 'must be a Stripe publishable key (pk_…)').optional(),
  /** Where the built fan web app is, relative to the working directory like PG_DATA_DIR (npm run build writes web/dist). */
  WEB_APP_DIR: z.string().min(1).default('web/dist'),
  SERVICE_API_KEY: z.string().min(16).optional(),
  /** Live fraud rules (docs/analytics.md, "Fraud rules"): how often they run and their thresholds. */
  FRAUD_JOB_INTERVAL_MS: z.coerce.number().int().min(100).default(60_000),
  FRAUD_LOOKBACK_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 31)
    .default(48),
  FRAUD_ADDRESS_PURCHASES_PER_10_MIN: z.coerce.number().int().min(1).default(8),
  FRAUD_ACCOUNT_PURCHASES_PER_DAY: z.coerce.number().int().min(1).default(12),
  FRAUD_TRANSFERS_PER_TICKET: z.coerce.number().int().min(2).default(3),
  FRAUD_TRAVEL_MINUTES: z.coerce.number().int().min(1).default(60),
  FRAUD_BULK_SHARE_PERCENT: z.coerce.number().min(0.01).max(100).default(5),
  FRAUD_BULK_MIN_SEATS: z.coerce.number().int().min(1).default(10),
  /** Purchase addresses (hashed) are deleted after this many days (docs/security.md, "Fraud signals"). */
  FRAUD_SIGNAL_RETENTION_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  /** Scalper model: retraining job period, and the probability at which a buyer counts as a scalper. */
  SCALPER_RETRAIN_INTERVAL_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .default(6 * 3600_000),
  SCALPER_THRESHOLD: z.coerce.number().min(0.01).max(0.99).default(0.5),
  /** Live chat: largest WebSocket frame, and messages a socket may send per 10 seconds. */
  CHAT_WS_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(256)
    .max(1024 * 1024)
    .default(16 * 1024),
  CHAT_WS_MESSAGES_PER_10S: z.coerce.number().int().min(1).default(20),
  /** PEM certificate (chain) and private key: both set, the server speaks HTTPS itself (docs/operations.md). */
  TLS_CERT_FILE: z.string().min(1).optional(),
  TLS_KEY_FILE: z.string().min(1).optional(),
  /** organizer/platform/charity percentages of POST /api/calculate-revenue-share (docs/analytics.md). */
  REVENUE_SHARE_SPLIT: z
    .string()
    .regex(/^\d{1,3}(\.\d{1,2})?(\/\d{1,3}(\.\d{1,2})?){2}$/, 'three percentages like 85/10/5')
    .default('85/10/5'),
});

export type Env = z.infer<typeof EnvSchema>;

export interface Config extends Omit<Env, 'DEMO' | 'JWT_SECRET' | 'MASTER_KEY' | 'OTP_PEPPER' | 'TRUST_PROXY' | 'SMS_PROVIDER'> {
  DEMO: boolean;
  /** The certificate and key read from TLS_CERT_FILE / TLS_KEY_FILE, null for plain HTTP (behind a TLS proxy, or loopback). */
  TLS: { cert: string; key: string } | null;
  /** Fastify's `trustProxy`: false (the socket's address), a hop count, or the proxies' addresses. */
  TRUST_PROXY: false | number | string[];
  SMS_PROVIDER: 'twilio' | 'outbox';
  JWT_SECRET: string;
  MASTER_KEY: string;
  OTP_PEPPER: string;
  /** True when secrets were filled with development defaults. */
  usingDevSecrets: boolean;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    detail: string,
  ) {
    super(`Invalid configuration: ${variable}: ${detail}`);
  }
}

const DEV_SECRETS = {
  JWT_SECRET: 'dev-only-jwt-secret-change-me-0123456789abcdef',
  MASTER_KEY: 'dev-only-master-key-change-me-0123456789abcdef',
  OTP_PEPPER: 'dev-only-otp-pepper',
} as const;
type SecretName = keyof typeof DEV_SECRETS;

/** libsodium's "interactive" argon2id parameters: production refuses anything cheaper. */
export const PASSWORD_HASH_FLOOR = { ops: 2, memMib: 64 } as const;

/** Names proxy-addr understands besides addresses and CIDRs. */
const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** True for an address only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * The built-in development secrets are in the repository, so anyone can sign
 * with them: they are used only where nobody else can reach the server — it
 * listens on loopback only and its database is the embedded one in its data folder.
 */
export function mayUseDevSecrets(e: Pick<Env, 'NODE_ENV' | 'HOST' | 'DATABASE_URL'>): boolean {
  return e.NODE_ENV !== 'production' && isLoopbackHost(e.HOST) && e.DATABASE_URL === undefined;
}

function parseTrustProxy(value: string | undefined): false | number | string[] {
  if (value === undefined || value === 'false') return false;
  if (/^\d+$/.test(value)) return Number(value) === 0 ? false : Number(value);
  const entries = value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
  for (const entry of entries) {
    const [addr, bits, ...rest] = entry.split('/');
    const family = isIP(addr ?? '');
    const okBits = bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (family === 6 ? 128 : 32));
    if (!PROXY_NAMES.has(entry) && (family === 0 || !okBits || rest.length > 0)) {
      // `true` would believe any client's own X-Forwarded-For, which is how limits were bypassed.
      throw new ConfigError('TRUST_PROXY', `expected a hop count or proxy addresses/CIDRs separated by commas, got "${entry}"`);
    }
  }
  return entries.length ? entries : false;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Empty strings are how shells unset things; treat them as absent.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(String(issue.path[0] ?? 'environment'), issue.message);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  if (production && e.DEMO) throw new ConfigError('DEMO', 'demo data (with its published passwords) is refused in production');
  const missing = (['JWT_SECRET', 'MASTER_KEY', 'OTP_PEPPER'] as const).filter((n) => !e[n]);
  const devSecrets = missing.length > 0 && mayUseDevSecrets(e);
  if (missing.length > 0 && !devSecrets) {
    throw new ConfigError(
      missing.join(', '),
      'required (built-in development values are used only with NODE_ENV other than production, HOST on loopback and the embedded database)',
    );
  }
  if (production && !e.SERVICE_API_KEY) throw new ConfigError('SERVICE_API_KEY', 'required in production (it guards /metrics)');
  if (production && (e.PASSWORD_HASH_OPS < PASSWORD_HASH_FLOOR.ops || e.PASSWORD_HASH_MEM_MIB < PASSWORD_HASH_FLOOR.memMib)) {
    throw new ConfigError(
      e.PASSWORD_HASH_OPS < PASSWORD_HASH_FLOOR.ops ? 'PASSWORD_HASH_OPS' : 'PASSWORD_HASH_MEM_MIB',
      `production needs at least ${PASSWORD_HASH_FLOOR.ops} passes and ${PASSWORD_HASH_FLOOR.memMib} MiB`,
    );
  }
  const sms = e.SMS_PROVIDER ?? (e.TWILIO_ACCOUNT_SID ? 'twilio' : 'outbox');
  if (sms === 'outbox' && production) {
    throw new ConfigError(
      'SMS_PROVIDER',
      'the outbox keeps codes in the database and is for development only: configure TWILIO_ACCOUNT_SID',
    );
  }
  if (sms === 'twilio') {
    const need = (['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN'] as const).filter((n) => !e[n]);
    if (need.length) throw new ConfigError(need.join(', '), 'required with SMS_PROVIDER=twilio');
    if (!e.TWILIO_FROM && !e.TWILIO_MESSAGING_SERVICE_SID)
      throw new ConfigError('TWILIO_FROM', 'or TWILIO_MESSAGING_SERVICE_SID is required with SMS_PROVIDER=twilio');
  }
  const demo = e.DEMO ?? (e.DATABASE_URL === undefined && !production);
  const secret = (name: SecretName): string => e[name] ?? DEV_SECRETS[name];
  return {
    ...e,
    DEMO: demo,
    TLS: readTls(e),
    TRUST_PROXY: parseTrustProxy(e.TRUST_PROXY),
    SMS_PROVIDER: sms,
    JWT_SECRET: secret('JWT_SECRET'),
    MASTER_KEY: secret('MASTER_KEY'),
    OTP_PEPPER: secret('OTP_PEPPER'),
    usingDevSecrets: devSecrets,
  };
}

const PemFile = (what: string, marker: RegExp) =>
  z.string().transform((path, c) => {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      c.addIssue({ code: 'custom', message: `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` });
      return z.NEVER;
    }
    if (!marker.test(text)) {
      c.addIssue({ code: 'custom', message: `${path} holds no PEM ${what}` });
      return z.NEVER;
    }
    return text;
  });
const TlsFiles = z.object({
  TLS_CERT_FILE: PemFile('certificate', /-----BEGIN CERTIFICATE-----/),
  TLS_KEY_FILE: PemFile('private key', /-----BEGIN [A-Z ]*PRIVATE KEY-----/),
});

function readTls(e: Env): Config['TLS'] {
  if (e.TLS_CERT_FILE === undefined && e.TLS_KEY_FILE === undefined) return null;
  if (e.TLS_CERT_FILE === undefined || e.TLS_KEY_FILE === undefined) {
    throw new ConfigError(e.TLS_CERT_FILE === undefined ? 'TLS_CERT_FILE' : 'TLS_KEY_FILE', 'TLS_CERT_FILE and TLS_KEY_FILE go together');
  }
  const parsed = TlsFiles.safeParse(e);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(String(issue.path[0]), issue.message);
  }
  return { cert: parsed.data.TLS_CERT_FILE, key: parsed.data.TLS_KEY_FILE };
}

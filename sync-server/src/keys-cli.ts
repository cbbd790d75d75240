import { parseArgs } from 'node:util';
import { loadConfig } from './config.js';
import { createPool } from './db/pool.js';
import { createContext } from './context.js';
import { migrate } from './db/migrate.js';
import { rewrapKeys } from './domain/keys/rewrap.js';
import { rotateGateKey, rotateIssuingKey } from './domain/keys/rotate-keys.js';

/**
 * Key maintenance against DATABASE_URL (docs/operations.md):
 *   npm run rotate-keys -w @ticketgate/sync-server -- --issuing
 *   npm run rotate-keys -w @ticketgate/sync-server -- --event <event id>
 *   OLD_MASTER_KEY=… NEW_MASTER_KEY=… npm run rewrap-keys -w @ticketgate/sync-server
 * Rotations are audited with no actor (reason "cli") and announced to every
 * running instance and gate, as the admin endpoint's are.
 */
const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { issuing: { type: 'boolean' }, event: { type: 'string' } },
});
const fail = (msg: string): never => {
  console.error(msg);
  process.exit(2);
};
const databaseUrl =
  process.env.DATABASE_URL || fail('DATABASE_URL: required (a running server with the embedded database: use POST /api/admin/keys/*)');

if (positionals[0] === 'rewrap') {
  const oldKey = process.env.OLD_MASTER_KEY || fail('OLD_MASTER_KEY: required (the MASTER_KEY the keys are wrapped with now)');
  const newKey = process.env.NEW_MASTER_KEY || fail('NEW_MASTER_KEY: required (at least 32 characters)');
  if (newKey.length < 32) fail('NEW_MASTER_KEY: at least 32 characters');
  const pool = createPool(databaseUrl);
  try {
    const counts = await rewrapKeys(pool, oldKey, newKey);
    console.log(
      `re-wrapped ${Object.entries(counts)
        .map(([t, n]) => `${n} ${t}`)
        .join(', ')}; start every server with the new MASTER_KEY`,
    );
  } finally {
    await pool.end();
  }
} else if (positionals[0] === 'rotate') {
  if (!values.issuing && !values.event) fail('rotate: give --issuing or --event <event id>');
  await migrate(databaseUrl);
  const ctx = createContext(loadConfig(), databaseUrl);
  try {
    const r = values.issuing ? await rotateIssuingKey(ctx, null, 'cli') : await rotateGateKey(ctx, null, values.event!, 'cli');
    console.log(
      `${r.kind} key rotated: new ${r.newKid}; ${r.retiredKid ?? 'none'} retired, valid until ${r.retiredValidUntil?.toISOString() ?? '-'}`,
    );
  } finally {
    await ctx.pool.end();
  }
} else {
  fail('usage: keys-cli.ts rotate --issuing | rotate --event <id> | rewrap');
}

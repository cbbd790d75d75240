import { runner } from 'node-pg-migrate';
import { fileURLToPath } from 'node:url';

// Next to this module: src/db/migrations from source, dist/migrations in the compiled server (build.mjs copies them).
export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations', import.meta.url));

/**
 * Applies every pending SQL migration (node-pg-migrate, advisory-locked so instances can start together).
 * `checkOrder` refuses a database whose applied migrations are not a prefix of the files: migrations are
 * append-only (scripts/check-migrations.ts enforces it in CI).
 */
export async function migrate(databaseUrl: string, log: (msg: string) => void = () => {}): Promise<string[]> {
  try {
    const applied = await runner({
      databaseUrl,
      dir: MIGRATIONS_DIR,
      direction: 'up',
      migrationsTable: 'pgmigrations',
      checkOrder: true,
      log,
      verbose: false,
    });
    return applied.map((m) => m.name);
  } catch (err) {
    if (err instanceof Error && err.message.startsWith('Not run migration')) {
      // The one-time renumbering of 2026-12 renamed every file after 0001; only development databases predate it.
      throw new Error(
        `${err.message}. This database was migrated with a different migration order ` +
          '(a development database from before the migrations were renumbered?): start from an empty one (remove ./data/pg).',
        { cause: err },
      );
    }
    throw err;
  }
}

import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { withDatabase } from './global-setup.js';

/** A fresh, migrated database for one test file (cloned from the template). */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const adminUrl = inject('pgAdminUrl');
  const name = `tg_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${inject('pgTemplate')}`);
  } finally {
    await admin.end();
  }
  return {
    url: withDatabase(adminUrl, name),
    async drop() {
      const a = new pg.Client({ connectionString: adminUrl });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}

/**
 * The change position of an event's latest seat change (0 without seats): what the
 * manifest and the live stream announce once nothing is in flight.
 */
export async function latestChange(
  db: { query(sql: string, params: unknown[]): Promise<{ rows: unknown[] }> },
  eventId: string,
): Promise<number> {
  const { rows } = await db.query('SELECT coalesce(max(seq), 0)::bigint AS seq FROM seats WHERE event_id = $1', [eventId]);
  return Number((rows[0] as { seq: number | string }).seq);
}

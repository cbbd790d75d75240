import pg from 'pg';

export type Pool = pg.Pool;
export type Client = pg.PoolClient;
export type Queryable = Pick<pg.Pool, 'query'> | pg.PoolClient;

// bigint columns (cents, sequences) come back as JS numbers: every value we
// store fits in 2^53, and numbers keep the domain code simple.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
const INT8_ARRAY = 1016 as unknown as typeof pg.types.builtins.INT8; // _int8 has no named builtin
const parseTextArray = pg.types.getTypeParser(INT8_ARRAY) as (v: string) => (string | null)[];
pg.types.setTypeParser(INT8_ARRAY, (v: string) => parseTextArray(v).map((x) => (x === null ? null : Number(x))));

/** Where the pool reports an idle client's failure (the app's logger). */
export interface PoolLog {
  warn(obj: object, msg: string): void;
}

export function createPool(connectionString: string, opts: { max?: number; log?: PoolLog } = {}): Pool {
  const pool = new pg.Pool({ connectionString, max: opts.max ?? 20, idleTimeoutMillis: 30_000 });
  // An idle client losing its connection (database restart) must not crash the
  // process; the pool replaces it, and the log says it happened.
  pool.on('error', (err) => opts.log?.warn({ err }, 'idle database connection lost'));
  return pool;
}

/**
 * Runs `fn` in one transaction. Serialization failures and deadlocks are retried
 * a few times, because under contention they are expected, not exceptional.
 */
export async function withTransaction<T>(
  pool: Pool,
  fn: (client: Client) => Promise<T>,
  opts: { isolation?: 'READ COMMITTED' | 'REPEATABLE READ' | 'SERIALIZABLE'; retries?: number } = {},
): Promise<T> {
  const retries = opts.retries ?? 5;
  for (let attempt = 0; ; attempt++) {
    const client = await pool.connect();
    try {
      await client.query(opts.isolation ? `BEGIN ISOLATION LEVEL ${opts.isolation}` : 'BEGIN');
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      // A failed ROLLBACK means the connection is gone; the original error is the one to report.
      await client.query('ROLLBACK').catch(() => undefined);
      const code = (err as { code?: string }).code;
      if ((code === '40001' || code === '40P01') && attempt < retries) {
        await new Promise((r) => setTimeout(r, 5 + Math.random() * 20 * (attempt + 1)));
        continue;
      }
      throw err;
    } finally {
      client.release();
    }
  }
}

import type { AppContext } from '../../context.js';
import type { BackgroundJob } from '../../jobs.js';

const BATCH = 5000;

/**
 * Deletes refresh tokens past their expiry: an expired token fails its
 * signature check on its own, so its row no longer protects anything. Batches
 * claimed with SKIP LOCKED, so instances never fight over rows.
 */
export async function pruneExpiredTokens(ctx: Pick<AppContext, 'pool' | 'now'>): Promise<{ refreshTokens: number }> {
  const now = new Date(ctx.now());
  let total = 0;
  for (;;) {
    const { rowCount } = await ctx.pool.query(
      `DELETE FROM refresh_tokens WHERE jti IN (SELECT jti FROM refresh_tokens WHERE expires_at <= $1 LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)`,
      [now],
    );
    total += rowCount ?? 0;
    if ((rowCount ?? 0) < BATCH) return { refreshTokens: total };
  }
}

export const pruneTokensJob: BackgroundJob = { name: 'auth.prune-expired-tokens', intervalMs: () => 10 * 60_000, run: pruneExpiredTokens };

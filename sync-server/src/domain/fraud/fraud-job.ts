import type { AppContext } from '../../context.js';
import { withTransaction } from '../../db/pool.js';
import type { BackgroundJob } from '../../jobs.js';
import { recordFlags } from './flags.js';
import { LIVE_RULES, liveRuleSettings } from './live-rules.js';
import { pruneOrigins } from './purchase-origin.js';

const FRAUD_JOB_LOCK = 742014;

/**
 * One pass of the live fraud rules over our own rows. Every instance runs the
 * job; a transaction-level advisory lock lets one pass run at a time, and the
 * flags' (rule, subject) key records each hit once even if two passes saw it.
 * Expired purchase origins are deleted in the same pass (retention).
 * Returns the number of new flags per rule, or null when another instance was running it.
 */
export async function runFraudRules(ctx: Pick<AppContext, 'pool' | 'config' | 'now' | 'counters'>): Promise<Record<string, number> | null> {
  const found = await withTransaction(ctx.pool, async (db) => {
    const { rows } = await db.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS locked', [FRAUD_JOB_LOCK]);
    if (!rows[0]!.locked) return null;
    const settings = liveRuleSettings(ctx.config, ctx.now());
    const added: Record<string, number> = {};
    for (const rule of LIVE_RULES) added[rule.name] = (await recordFlags(db, await rule.find(db, settings), settings.now)).length;
    await pruneOrigins(db, settings.now, ctx.config.FRAUD_SIGNAL_RETENTION_DAYS);
    return added;
  });
  // Counted after the commit, so a rolled-back pass counts nothing.
  for (const [rule, n] of Object.entries(found ?? {})) if (n) ctx.counters.fraudDetections.inc({ rule }, n);
  return found;
}

export const fraudRulesJob: BackgroundJob = {
  name: 'fraud-rules',
  intervalMs: (ctx) => ctx.config.FRAUD_JOB_INTERVAL_MS,
  run: (ctx) => runFraudRules(ctx),
};

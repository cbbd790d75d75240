import { withTransaction, type Pool } from '../../db/pool.js';
import { unwrapSecret, wrapSecret, type KeyPurpose } from './wrap.js';

/** Every table holding wrapped key material: its purpose, key id column and wrapped column. */
const WRAPPED: readonly { table: string; purpose: KeyPurpose; kid: string; column: string }[] = [
  { table: 'signing_keys', purpose: 'sync', kid: 'kid', column: 'private_wrapped' },
  // Enrolment codes keep the key that authenticates their enrolment reply; used codes keep it too (harmless).
  { table: 'enrolment_codes', purpose: 'enrolment', kid: 'code_hash', column: 'binding_key_wrapped' },
  { table: 'issuing_keys', purpose: 'issuing', kid: 'kid', column: 'private_wrapped' },
  { table: 'gate_keys', purpose: 'gate', kid: 'kid', column: 'key_wrapped' },
];

/**
 * Re-wraps every stored key from the old MASTER_KEY to the new one, in one
 * transaction with the key tables locked: either every key moves or none does
 * (a wrong old key fails on the first row and changes nothing). Retired keys are
 * re-wrapped too, so codes within their overlap still verify afterwards.
 */
export async function rewrapKeys(pool: Pool, oldMasterKey: string, newMasterKey: string): Promise<Record<string, number>> {
  return withTransaction(pool, async (db) => {
    const counts: Record<string, number> = {};
    for (const w of WRAPPED) {
      await db.query(`LOCK TABLE ${w.table} IN SHARE ROW EXCLUSIVE MODE`);
      const { rows } = await db.query<{ kid: string; wrapped: string }>(
        `SELECT ${w.kid} AS kid, ${w.column} AS wrapped FROM ${w.table} WHERE ${w.column} IS NOT NULL`,
      );
      for (const r of rows) {
        const label = { purpose: w.purpose, kid: r.kid };
        const rewrapped = wrapSecret(newMasterKey, label, unwrapSecret(oldMasterKey, label, r.wrapped));
        await db.query(`UPDATE ${w.table} SET ${w.column} = $2 WHERE ${w.kid} = $1`, [r.kid, rewrapped]);
      }
      counts[w.table] = rows.length;
    }
    return counts;
  });
}

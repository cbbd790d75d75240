import {
  decodeSyncKeyPair,
  encodeSyncKeyPair,
  encodeSyncPublicKey,
  endorseSyncKey,
  generateSyncKeyPair,
  ready,
  type SyncKeyPair,
} from '@ticketgate/crypto';
import type { sync } from '@ticketgate/protocol';
import { withTransaction, type Pool } from '../../db/pool.js';
import { unwrapSecret, wrapSecret } from './wrap.js';

/** Another instance may rotate the key: the cached active key is re-read this often. */
const ACTIVE_KEY_TTL_MS = 30_000;

/**
 * The sync signing key (signing_keys, purpose 'sync'): one active Ed25519 key
 * signs manifests, seat deltas, upload replies and stream messages. Rotation
 * makes a new key endorsed by the active one and retires it; the manifest lists
 * the whole chain so a gate can walk from the key it pinned to the current one.
 */
export class SyncKeyStore {
  private active?: { key: SyncKeyPair; loadedAt: number };

  constructor(
    private readonly pool: Pool,
    private readonly masterKey: string,
    private readonly now: () => number = Date.now,
  ) {}

  async activeKey(): Promise<SyncKeyPair> {
    if (this.active && this.now() - this.active.loadedAt < ACTIVE_KEY_TTL_MS) return this.active.key;
    await ready();
    let wrapped = await this.loadActive();
    if (!wrapped) {
      const k = generateSyncKeyPair();
      // Several instances starting at once: the unique index lets one win, the others re-read it.
      await this.pool.query(
        `INSERT INTO signing_keys (kid, purpose, public_key, private_wrapped) VALUES ($1, 'sync', $2, $3) ON CONFLICT DO NOTHING`,
        [k.kid, encodeSyncPublicKey(k), wrapSecret(this.masterKey, { purpose: 'sync', kid: k.kid }, encodeSyncKeyPair(k))],
      );
      wrapped = await this.loadActive();
    }
    const key = decodeSyncKeyPair(unwrapSecret(this.masterKey, { purpose: 'sync', kid: wrapped!.kid }, wrapped!.private_wrapped));
    this.active = { key, loadedAt: this.now() };
    return key;
  }

  /** The chain, oldest first: every sync key ever used, each endorsed by the one before it. */
  async chain(): Promise<sync.SyncKeyLink[]> {
    await this.activeKey();
    const { rows } = await this.pool.query<{ kid: string; public_key: string; endorsed_by: string | null; endorsement: string | null }>(
      `SELECT kid, public_key, endorsed_by, endorsement FROM signing_keys WHERE purpose = 'sync'`,
    );
    // Ordered by the links themselves, not by timestamps (clocks of instances differ).
    const successor = new Map(rows.filter((r) => r.endorsed_by).map((r) => [r.endorsed_by!, r]));
    const out: sync.SyncKeyLink[] = [];
    for (let r = rows.find((x) => x.endorsed_by === null); r; r = successor.get(r.kid)) {
      out.push({ public_key: r.public_key, endorsed_by: r.endorsed_by, endorsement: r.endorsement });
    }
    return out;
  }

  /**
   * Replaces the active key by a new one endorsed by it, in one transaction (the
   * row lock on the active key serialises two rotations). Gates follow on their
   * next manifest and reopen their stream; other instances sign with the new key
   * once their cached copy expires (ACTIVE_KEY_TTL_MS).
   */
  async rotate(): Promise<{ previousKid: string; kid: string }> {
    await this.activeKey();
    const next = generateSyncKeyPair();
    const result = await withTransaction(this.pool, async (db) => {
      const { rows } = await db.query<{ kid: string; private_wrapped: string }>(
        `SELECT kid, private_wrapped FROM signing_keys WHERE purpose = 'sync' AND retired_at IS NULL FOR UPDATE`,
      );
      const prev = decodeSyncKeyPair(unwrapSecret(this.masterKey, { purpose: 'sync', kid: rows[0]!.kid }, rows[0]!.private_wrapped));
      await db.query(`UPDATE signing_keys SET retired_at = $2 WHERE kid = $1`, [prev.kid, new Date(this.now())]);
      await db.query(
        `INSERT INTO signing_keys (kid, purpose, public_key, private_wrapped, endorsed_by, endorsement, created_at)
         VALUES ($1, 'sync', $2, $3, $4, $5, $6)`,
        [
          next.kid,
          encodeSyncPublicKey(next),
          wrapSecret(this.masterKey, { purpose: 'sync', kid: next.kid }, encodeSyncKeyPair(next)),
          prev.kid,
          endorseSyncKey(prev, next),
          new Date(this.now()),
        ],
      );
      return { previousKid: prev.kid, kid: next.kid };
    });
    this.active = { key: next, loadedAt: this.now() };
    return result;
  }

  private async loadActive(): Promise<{ kid: string; private_wrapped: string } | undefined> {
    const { rows } = await this.pool.query<{ kid: string; private_wrapped: string }>(
      `SELECT kid, private_wrapped FROM signing_keys WHERE purpose = 'sync' AND retired_at IS NULL`,
    );
    return rows[0];
  }
}

import {
  CredentialVerifier,
  decodeGateKey,
  decodeIssuingKeyPair,
  decodeIssuingPublicKey,
  encodeGateKey,
  encodeIssuingKeyPair,
  encodeIssuingPublicKey,
  generateGateKey,
  generateIssuingKeyPair,
  ready,
  type GateKey,
  type IssuingKeyPair,
  type IssuingPublicKey,
  type VerifyOutcome,
} from '@ticketgate/crypto';
import type { Queryable } from '../../db/pool.js';
import { unwrapSecret, wrapSecret } from './wrap.js';

/**
 * The server's ticket keys: one active Ed25519 issuing key (older ones stay
 * valid for verification until retired) and one gate key per event. Created on
 * first use, cached in memory; several instances racing to create one converge
 * on the same row (advisory lock + re-read).
 */
export class KeyStore {
  private issuing?: IssuingKeyPair;
  private issuingPublic = new Map<string, IssuingPublicKey>();
  private gateByEvent = new Map<string, GateKey>();
  private verifier?: CredentialVerifier;

  constructor(
    private readonly db: Queryable,
    private readonly masterKey: string,
    private readonly skewSeconds: number,
  ) {}

  async activeIssuingKey(): Promise<IssuingKeyPair> {
    if (this.issuing) return this.issuing;
    await ready();
    const load = async () =>
      (await this.db.query<{ private_wrapped: string }>(
        'SELECT private_wrapped FROM issuing_keys WHERE retired_at IS NULL ORDER BY created_at DESC LIMIT 1',
      )).rows[0];
    let row = await load();
    if (!row) {
      const k = generateIssuingKeyPair();
      await this.db.query(
        `INSERT INTO issuing_keys (kid, public_key, private_wrapped)
         SELECT $1, $2, $3 WHERE NOT EXISTS (SELECT 1 FROM issuing_keys WHERE retired_at IS NULL)`,
        [k.kid, encodeIssuingPublicKey(k), wrapSecret(this.masterKey, encodeIssuingKeyPair(k))],
      );
      row = await load();
    }
    this.issuing = decodeIssuingKeyPair(unwrapSecret(this.masterKey, row!.private_wrapped));
    return this.issuing;
  }

  /** Public halves of every issuing key not retired: what gates receive in manifests. */
  async issuingPublicKeys(): Promise<IssuingPublicKey[]> {
    const active = await this.activeIssuingKey();
    const { rows } = await this.db.query<{ kid: string; public_key: string }>(
      'SELECT kid, public_key FROM issuing_keys WHERE retired_at IS NULL OR retired_at > now() - interval \'1 day\'',
    );
    for (const r of rows) if (!this.issuingPublic.has(r.kid)) this.issuingPublic.set(r.kid, decodeIssuingPublicKey(r.public_key));
    this.issuingPublic.set(active.kid, { kid: active.kid, publicKey: active.publicKey });
    return [...this.issuingPublic.values()];
  }

  async gateKeyFor(eventId: string): Promise<GateKey> {
    const cached = this.gateByEvent.get(eventId);
    if (cached) return cached;
    await ready();
    const load = async () =>
      (await this.db.query<{ key_wrapped: string }>(
        'SELECT key_wrapped FROM gate_keys WHERE event_id = $1 AND retired_at IS NULL ORDER BY created_at DESC LIMIT 1',
        [eventId],
      )).rows[0];
    let row = await load();
    if (!row) {
      const k = generateGateKey();
      await this.db.query(
        `INSERT INTO gate_keys (kid, event_id, key_wrapped)
         SELECT $1, $2, $3 WHERE NOT EXISTS (SELECT 1 FROM gate_keys WHERE event_id = $2 AND retired_at IS NULL)`,
        [k.kid, eventId, wrapSecret(this.masterKey, encodeGateKey(k))],
      );
      row = await load();
    }
    const key = decodeGateKey(unwrapSecret(this.masterKey, row!.key_wrapped));
    this.gateByEvent.set(eventId, key);
    this.verifier = undefined;
    return key;
  }

  /**
   * A verifier holding every gate key of every event: used by the online
   * /api/verify. Rebuilt when a key is created.
   */
  async onlineVerifier(): Promise<CredentialVerifier> {
    if (this.verifier) return this.verifier;
    await ready();
    const { rows } = await this.db.query<{ event_id: string; key_wrapped: string }>(
      'SELECT event_id, key_wrapped FROM gate_keys WHERE retired_at IS NULL',
    );
    const gateKeys = rows.map((r) => decodeGateKey(unwrapSecret(this.masterKey, r.key_wrapped)));
    this.verifier = new CredentialVerifier({ gateKeys, issuingKeys: await this.issuingPublicKeys(), skewSeconds: this.skewSeconds });
    return this.verifier;
  }

  /**
   * Verifies a credential with every gate key known. A key created by another
   * server instance since our cache was built shows up as unknown_key_id: reload once.
   */
  async verify(text: string, nowMs: number): Promise<VerifyOutcome> {
    let outcome = (await this.onlineVerifier()).verify(text, nowMs);
    if (outcome.status === 'invalid' && outcome.reason === 'unknown_key_id') {
      this.verifier = undefined;
      this.issuingPublic.clear();
      outcome = (await this.onlineVerifier()).verify(text, nowMs);
    }
    return outcome;
  }
}

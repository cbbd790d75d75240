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

export interface KeyStoreOptions {
  skewSeconds: number;
  /** Device-bound codes: steps of phone clock error accepted (docs/qr-format.md). */
  stepSkew?: number;
  /** How long a retired key still verifies (retired_at + overlap), so codes shown at a rotation still pass. */
  overlapSeconds: number;
}

/** A cached value and the time (ms) it stops being right: when the first retired key in it runs out of overlap. */
interface Cached<T> {
  value: T;
  until: number;
}

/**
 * The server's ticket keys: one active Ed25519 issuing key and one active gate
 * key per event (the ones not retired; a unique index allows one each). A
 * retired key still verifies for `overlapSeconds`. Keys are created on first use
 * and cached; `invalidate()` drops every cache, and the composition root calls it
 * when any instance announces a rotation (NOTIFY), so a rotation takes effect
 * on every instance at once. Rotation itself is in rotate-keys.ts.
 */
export class KeyStore {
  private issuing?: IssuingKeyPair;
  private issuingPublic?: Cached<IssuingPublicKey[]>;
  private gateByEvent = new Map<string, Cached<{ active: GateKey; valid: GateKey[] }>>();
  private verifier?: Cached<CredentialVerifier>;
  /** Bumped by invalidate(): a load that started before it must not fill the cache afterwards. */
  private generation = 0;
  private lastUnknownReload = 0;

  constructor(
    private readonly db: Queryable,
    private readonly masterKey: string,
    private readonly opts: KeyStoreOptions,
  ) {}

  /** Forgets every cached key; the next use reads the database again. */
  invalidate(): void {
    this.generation++;
    this.issuing = undefined;
    this.issuingPublic = undefined;
    this.gateByEvent.clear();
    this.verifier = undefined;
  }

  get overlapSeconds(): number {
    return this.opts.overlapSeconds;
  }

  /** Inserts a fresh active issuing key unless one is active already (a racing instance won). */
  async insertIssuingKey(db: Queryable): Promise<string | undefined> {
    await ready();
    const k = generateIssuingKeyPair();
    const { rowCount } = await db.query(
      'INSERT INTO issuing_keys (kid, public_key, private_wrapped) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
      [k.kid, encodeIssuingPublicKey(k), wrapSecret(this.masterKey, { purpose: 'issuing', kid: k.kid }, encodeIssuingKeyPair(k))],
    );
    return rowCount ? k.kid : undefined;
  }

  /** Inserts a fresh active gate key for the event unless it has one. */
  async insertGateKey(db: Queryable, eventId: string): Promise<string | undefined> {
    await ready();
    const k = generateGateKey();
    const { rowCount } = await db.query('INSERT INTO gate_keys (kid, event_id, key_wrapped) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [
      k.kid,
      eventId,
      wrapSecret(this.masterKey, { purpose: 'gate', kid: k.kid }, encodeGateKey(k)),
    ]);
    return rowCount ? k.kid : undefined;
  }

  async activeIssuingKey(): Promise<IssuingKeyPair> {
    if (this.issuing) return this.issuing;
    const gen = this.generation;
    await ready();
    const load = async () =>
      (
        await this.db.query<{ kid: string; private_wrapped: string }>(
          'SELECT kid, private_wrapped FROM issuing_keys WHERE retired_at IS NULL',
        )
      ).rows[0];
    let row = await load();
    if (!row) {
      await this.insertIssuingKey(this.db);
      row = await load();
    }
    const key = decodeIssuingKeyPair(unwrapSecret(this.masterKey, { purpose: 'issuing', kid: row!.kid }, row!.private_wrapped));
    if (gen === this.generation) this.issuing = key;
    return key;
  }

  /** Public halves of every issuing key still valid (active, or retired within the overlap): what gates receive. */
  async issuingPublicKeys(): Promise<IssuingPublicKey[]> {
    if (this.issuingPublic && Date.now() < this.issuingPublic.until) return this.issuingPublic.value;
    const gen = this.generation;
    const active = await this.activeIssuingKey();
    const { rows } = await this.db.query<{ kid: string; public_key: string; until_ms: number | null }>(
      `SELECT kid, public_key, ${UNTIL_MS} AS until_ms FROM issuing_keys WHERE ${STILL_VALID} ORDER BY created_at DESC`,
      [this.opts.overlapSeconds],
    );
    const keys = rows.map((r) => decodeIssuingPublicKey(r.public_key));
    if (!keys.some((k) => k.kid === active.kid)) keys.unshift({ kid: active.kid, publicKey: active.publicKey });
    const cached = { value: keys, until: earliest(rows) };
    if (gen === this.generation) this.issuingPublic = cached;
    return keys;
  }

  private async gateKeys(eventId: string): Promise<{ active: GateKey; valid: GateKey[] }> {
    const cached = this.gateByEvent.get(eventId);
    if (cached && Date.now() < cached.until) return cached.value;
    const gen = this.generation;
    await ready();
    const load = async () =>
      (
        await this.db.query<{ kid: string; key_wrapped: string; retired_at: Date | null; until_ms: number | null }>(
          `SELECT kid, key_wrapped, retired_at, ${UNTIL_MS} AS until_ms FROM gate_keys
            WHERE event_id = $2 AND ${STILL_VALID} ORDER BY retired_at IS NULL DESC, created_at DESC`,
          [this.opts.overlapSeconds, eventId],
        )
      ).rows;
    let rows = await load();
    if (rows[0]?.retired_at !== null) {
      await this.insertGateKey(this.db, eventId);
      rows = await load();
    }
    const valid = rows.map((r) => decodeGateKey(unwrapSecret(this.masterKey, { purpose: 'gate', kid: r.kid }, r.key_wrapped)));
    const value = { active: valid[0]!, valid };
    if (gen === this.generation) this.gateByEvent.set(eventId, { value, until: earliest(rows) });
    return value;
  }

  /** The event's active gate key: what new codes are encrypted with. */
  async gateKeyFor(eventId: string): Promise<GateKey> {
    return (await this.gateKeys(eventId)).active;
  }

  /** Every gate key of the event still valid, the active one first: what a gate of the hall receives. */
  async validGateKeys(eventId: string): Promise<GateKey[]> {
    return (await this.gateKeys(eventId)).valid;
  }

  /** A verifier holding every valid gate key of every event: used by the online /api/verify. */
  async onlineVerifier(): Promise<CredentialVerifier> {
    if (this.verifier && Date.now() < this.verifier.until) return this.verifier.value;
    const gen = this.generation;
    await ready();
    const { rows } = await this.db.query<{ kid: string; key_wrapped: string; until_ms: number | null }>(
      `SELECT kid, key_wrapped, ${UNTIL_MS} AS until_ms FROM gate_keys WHERE ${STILL_VALID}`,
      [this.opts.overlapSeconds],
    );
    const gateKeys = rows.map((r) => decodeGateKey(unwrapSecret(this.masterKey, { purpose: 'gate', kid: r.kid }, r.key_wrapped)));
    const verifier = new CredentialVerifier({
      gateKeys,
      issuingKeys: await this.issuingPublicKeys(),
      skewSeconds: this.opts.skewSeconds,
      ...(this.opts.stepSkew !== undefined ? { stepSkew: this.opts.stepSkew } : {}),
    });
    const until = Math.min(earliest(rows), this.issuingPublic?.until ?? Infinity);
    if (gen === this.generation) this.verifier = { value: verifier, until };
    return verifier;
  }

  /**
   * Verifies a credential with every valid gate key. A gate key created on first
   * use by another instance (rotations are announced, first keys are not) shows
   * up as unknown_key_id: the verifier is rebuilt, at most once a second, so a
   * stream of made-up key ids cannot turn every request into a key reload.
   */
  async verify(text: string, nowMs: number): Promise<VerifyOutcome> {
    let outcome = (await this.onlineVerifier()).verify(text, nowMs);
    if (outcome.status === 'invalid' && outcome.reason === 'unknown_key_id' && Date.now() - this.lastUnknownReload >= 1000) {
      this.lastUnknownReload = Date.now();
      this.verifier = undefined;
      outcome = (await this.onlineVerifier()).verify(text, nowMs);
    }
    return outcome;
  }
}

/** A key verifies while not retired, or retired less than the overlap ago ($1 seconds). */
const STILL_VALID = `(retired_at IS NULL OR retired_at > now() - make_interval(secs => $1))`;
/** When a retired key stops verifying, in ms since the epoch (NULL for an active key). */
const UNTIL_MS = `(extract(epoch FROM retired_at) * 1000 + $1 * 1000)::float8`;

const earliest = (rows: { until_ms: number | null }[]): number =>
  rows.reduce((min, r) => (r.until_ms === null ? min : Math.min(min, r.until_ms)), Infinity);

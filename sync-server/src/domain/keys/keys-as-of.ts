import {
  CODE_TEXT_LENGTH,
  CREDENTIAL_TTL_SECONDS,
  normaliseScan,
  CredentialVerifier,
  decodeGateKey,
  decodeIssuingPublicKey,
  ready,
  type GateKey,
  type IssuingPublicKey,
  type VerifyOutcome,
} from '@ticketgate/crypto';
import type { Queryable } from '../../db/pool.js';
import { unwrapSecret } from './wrap.js';

interface Dated<K> {
  key: K;
  id: string;
  retiredAt: number | null;
}

/**
 * Verifies credentials as they were at a past time, for the proofs that come
 * with uploaded admissions: a gate may upload hours after the scan, and a key
 * retired since then still proves what it sealed or signed while it was in use.
 * A key counts at time `t` until its retirement plus one credential lifetime
 * (TTL + skew: the last codes it made stay fresh that long); after that, a
 * credential under it is `unknown_key_id`. A device-bound pass lives for hours,
 * so for those codes a key counts for the rotation overlap instead: as long as
 * gates keep it in their manifests. (No lower bound: a credential's
 * signed issue time already ties it to when the key was in use.) Unlike the KeyStore's
 * online verifier, retired keys are loaded, for the given events only.
 */
export class KeysAsOf {
  private readonly verifiers = new Map<string, CredentialVerifier>();

  private constructor(
    private readonly gate: Dated<GateKey>[],
    private readonly issuing: Dated<IssuingPublicKey>[],
    private readonly skewSeconds: number,
    private readonly overlapSeconds: number,
  ) {}

  static async load(
    db: Queryable,
    masterKey: string,
    times: { skewSeconds: number; overlapSeconds: number },
    eventIds: string[],
  ): Promise<KeysAsOf> {
    await ready();
    const gate = await db.query<{ kid: string; key_wrapped: string; retired_at: Date | null }>(
      'SELECT kid, key_wrapped, retired_at FROM gate_keys WHERE event_id = ANY($1::uuid[])',
      [eventIds],
    );
    const issuing = await db.query<{ kid: string; public_key: string; retired_at: Date | null }>(
      'SELECT kid, public_key, retired_at FROM issuing_keys',
    );
    return new KeysAsOf(
      gate.rows.map((r) => ({
        key: decodeGateKey(unwrapSecret(masterKey, { purpose: 'gate', kid: r.kid }, r.key_wrapped)),
        id: `g${r.kid}`,
        retiredAt: r.retired_at?.getTime() ?? null,
      })),
      issuing.rows.map((r) => ({ key: decodeIssuingPublicKey(r.public_key), id: `i${r.kid}`, retiredAt: r.retired_at?.getTime() ?? null })),
      times.skewSeconds,
      times.overlapSeconds,
    );
  }

  /** The credential checked at `atMs` (freshness included) with the keys valid then. */
  verify(text: string, atMs: number): VerifyOutcome {
    const deviceBound = normaliseScan(text).length === CODE_TEXT_LENGTH;
    const window =
      (deviceBound ? Math.max(this.overlapSeconds, CREDENTIAL_TTL_SECONDS) + this.skewSeconds : CREDENTIAL_TTL_SECONDS + this.skewSeconds) *
      1000;
    const valid = <K>(k: Dated<K>) => k.retiredAt === null || atMs <= k.retiredAt + window;
    const gate = this.gate.filter(valid);
    const issuing = this.issuing.filter(valid);
    // One verifier per key set: a batch's scans mostly share one.
    const id = [...gate, ...issuing].map((k) => k.id).join(',');
    let verifier = this.verifiers.get(id);
    if (!verifier) {
      verifier = new CredentialVerifier({
        gateKeys: gate.map((k) => k.key),
        issuingKeys: issuing.map((k) => k.key),
        skewSeconds: this.skewSeconds,
      });
      this.verifiers.set(id, verifier);
    }
    return verifier.verify(text, atMs);
  }
}

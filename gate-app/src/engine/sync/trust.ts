// process: engine
import {
  decodeSyncPublicKey,
  encodeSyncPublicKey,
  enrolmentBindingKey,
  verifyEndorsement,
  verifyEnrolmentMac,
  type SyncPublicKey,
} from '@ticketgate/crypto';
import { sync } from '@ticketgate/protocol';
import { z } from 'zod';
import type { DeviceRepo } from '../store/device-repo.js';
import { IntegrityError } from './integrity.js';

/** What a signed reply's key resolver sees: the reply before anything in it is trusted. */
export interface UnverifiedReply {
  json: unknown;
  raw: Uint8Array;
  headers: Headers;
  nonce: string;
}

const ChainProbe = z.object({ data: z.object({ sync_keys: z.array(sync.SyncKeyLink).min(1) }) });
const EnrolProbe = z.object({ data: z.object({ sync_key: z.string() }) });

function sameKey(a: SyncPublicKey, b: SyncPublicKey): boolean {
  return a.kid === b.kid && Buffer.compare(Buffer.from(a.publicKey), Buffer.from(b.publicKey)) === 0;
}

/**
 * The sync key this gate trusts (docs/sync-protocol.md, "Signed sync"): pinned
 * at enrolment from a reply authenticated with the one-time code, and moved on
 * only along a rotation chain in which every new key is endorsed by the one it
 * replaces, starting from the pinned key.
 */
export class SyncTrust {
  private cache: { encoded: string; key: SyncPublicKey } | undefined;

  constructor(private readonly device: DeviceRepo) {}

  /** The pinned key, null before an enrolment that pinned one. */
  pinned(): SyncPublicKey | null {
    const encoded = this.device.get()?.sync_key ?? null;
    if (!encoded) return null;
    if (this.cache?.encoded !== encoded) this.cache = { encoded, key: decodeSyncPublicKey(encoded) };
    return this.cache.key;
  }

  /** The key every signed reply but the manifest must verify with. */
  required(): SyncPublicKey {
    const key = this.pinned();
    if (!key) throw new IntegrityError('no sync key pinned (enrolled by an older version): enrol this gate again');
    return key;
  }

  /**
   * The key that must have signed a manifest: the end of its chain, reached from
   * the pinned key through endorsements each checked with the key before it.
   */
  chainTip(links: sync.SyncKeyLink[]): SyncPublicKey {
    const pinned = this.required();
    let keys: SyncPublicKey[];
    try {
      keys = links.map((l) => decodeSyncPublicKey(l.public_key));
    } catch (err) {
      throw new IntegrityError(`sync key chain: ${(err as Error).message}`);
    }
    const start = keys.findIndex((k) => sameKey(k, pinned));
    if (start < 0) throw new IntegrityError(`sync key chain does not contain the pinned key ${pinned.kid}`);
    let current = pinned;
    for (let i = start + 1; i < keys.length; i++) {
      const next = keys[i]!;
      const link = links[i]!;
      if (link.endorsed_by !== current.kid || !link.endorsement || !verifyEndorsement(current, next, link.endorsement)) {
        throw new IntegrityError(`sync key ${next.kid} is not endorsed by ${current.kid}: rotation refused`);
      }
      current = next;
    }
    return current;
  }

  /** Resolver for the manifest: the chain is read from the (unverified) reply, checked, and its tip must have signed it. */
  readonly manifestSigner = (r: UnverifiedReply): SyncPublicKey => {
    const probe = ChainProbe.safeParse(r.json);
    if (!probe.success) throw new IntegrityError('manifest without a sync key chain');
    return this.chainTip(probe.data.data.sync_keys);
  };

  /** After a verified manifest: the chain's tip becomes the pinned key (a no-op without rotation). */
  advance(links: sync.SyncKeyLink[]): boolean {
    const tip = this.chainTip(links);
    if (sameKey(tip, this.required())) return false;
    this.device.pinSyncKey(encodeSyncPublicKey(tip));
    return true;
  }

  /**
   * Resolver for the enrolment reply: its MAC (keyed from the code, which never
   * left this gate) must match before the sync key in it is believed; that key
   * must then have signed the reply too.
   */
  static enrolmentSigner(code: string): (r: UnverifiedReply) => SyncPublicKey {
    return (r) => {
      if (!verifyEnrolmentMac(enrolmentBindingKey(code), r.nonce, r.raw, r.headers.get(sync.ENROL_MAC_HEADER))) {
        throw new IntegrityError('the enrolment reply is not authenticated by this code (a substituted server key?): enrolment refused');
      }
      const probe = EnrolProbe.safeParse(r.json);
      if (!probe.success) throw new IntegrityError('enrolment reply without a sync key');
      try {
        return decodeSyncPublicKey(probe.data.data.sync_key);
      } catch (err) {
        throw new IntegrityError(`enrolment reply: ${(err as Error).message}`);
      }
    };
  }
}

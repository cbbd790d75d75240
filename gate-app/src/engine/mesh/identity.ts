// process: engine
import {
  decodeMeshKeyPair,
  encodeMeshKeyPair,
  generateMeshKeyPair,
  verifyDeviceCert,
  type DeviceCertClaims,
  type MeshKeyPair,
} from '@ticketgate/crypto';
import type { DeviceRepo } from '../store/device-repo.js';
import type { MeshRepo } from '../store/mesh-repo.js';
import type { SyncTrust } from '../sync/trust.js';

/** This gate's mesh key pair, created and stored on first use. */
export function meshKeyPairOf(device: DeviceRepo): MeshKeyPair {
  return decodeMeshKeyPair(device.meshKeyPair(() => encodeMeshKeyPair(generateMeshKeyPair())));
}

export interface SelfIdentity {
  deviceId: string;
  hallId: string;
  name: string;
  cert: string;
  key: MeshKeyPair;
}

export type PeerCheck = { ok: true; peer: DeviceCertClaims } | { ok: false; reason: string };

/** Verified certificates kept (a peer sends its certificate with every message). */
const CERT_CACHE = 256;

/**
 * Who this gate is on the mesh, and whom it believes (docs/mesh.md): a peer is
 * a device whose certificate the pinned sync key signed, still valid, of this
 * hall, not listed as revoked by the last manifest.
 */
export class MeshIdentity {
  private readonly verified = new Map<string, DeviceCertClaims>();
  /** The decoded key, kept while the stored one is the same (every message is signed with it). */
  private key: { encoded: string; pair: MeshKeyPair } | undefined;

  constructor(
    private readonly device: DeviceRepo,
    private readonly mesh: MeshRepo,
    private readonly trust: SyncTrust,
    private readonly now: () => number,
    private readonly skewMs: number,
  ) {}

  /** Null until the server certified this gate (its first manifest after enrolment). */
  self(): SelfIdentity | null {
    const d = this.device.get();
    if (!d?.device_id || !d.hall_id || !d.mesh_cert || d.revoked_at != null) return null;
    if (!d.mesh_key_pair) return null;
    if (this.key?.encoded !== d.mesh_key_pair) this.key = { encoded: d.mesh_key_pair, pair: decodeMeshKeyPair(d.mesh_key_pair) };
    return { deviceId: d.device_id, hallId: d.hall_id, name: d.device_name ?? 'gate', cert: d.mesh_cert, key: this.key.pair };
  }

  checkPeer(cert: string, hallId: string): PeerCheck {
    let claims = this.verified.get(cert);
    if (!claims) {
      const pinned = this.trust.pinned();
      if (!pinned) return { ok: false, reason: 'this gate has no pinned sync key' };
      const v = verifyDeviceCert(cert, [pinned], this.now(), this.skewMs);
      if (!v.ok) return { ok: false, reason: v.reason };
      claims = v.claims;
      if (this.verified.size >= CERT_CACHE) this.verified.clear();
      this.verified.set(cert, claims);
    }
    // Time and revocation are checked on every message, the signature once per certificate.
    if (this.now() - this.skewMs > claims.expiresAt) return { ok: false, reason: 'certificate expired' };
    if (claims.hallId !== hallId) return { ok: false, reason: `device of hall ${claims.hallId}, not ${hallId}` };
    if (this.mesh.isRevoked(claims.deviceId)) return { ok: false, reason: `device ${claims.deviceId} is revoked` };
    return { ok: true, peer: claims };
  }
}

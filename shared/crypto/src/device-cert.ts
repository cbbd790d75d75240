import { randomBytes, sign, verify } from 'node:crypto';
import { fromBase64Url, toBase64Url } from './bytes.js';
import {
  cachedPrivateKeyObject,
  ED25519_KEY_BYTES,
  ed25519PublicFromSeed,
  ed25519PublicKeyObject,
  expectBytes,
  splitTagged,
} from './keys.js';
import type { SyncKeyPair, SyncPublicKey } from './sync-signature.js';

/**
 * Device certificates and hall-mesh signatures (docs/mesh.md). A gate holds an
 * Ed25519 signing key of its own (its mesh key, not the X25519 box key); the
 * server certifies its public half with the sync key, so gates of one hall can
 * tell each other apart from strangers without asking the server.
 */

/** The gate's own Ed25519 key pair; privateKey is the 32-byte seed. */
export interface MeshKeyPair {
  publicKey: Uint8Array;
  privateKey: Uint8Array;
}

/** What the server certifies about a gate. Times are epoch milliseconds (UTC). */
export interface DeviceCertClaims {
  deviceId: string;
  hallId: string;
  /** The gate's name, as its admissions name it. */
  name: string;
  /** base64url Ed25519 public key (32 bytes). */
  publicKey: string;
  issuedAt: number;
  expiresAt: number;
}

export type DeviceCertCheck = { ok: true; claims: DeviceCertClaims; kid: string } | { ok: false; reason: string };

const CERT_PREFIX = 'ticketgate-device-cert/v1\n';
const MESH_PREFIX = 'ticketgate-mesh/v1\n';
const CERT_RE = /^tg\.device-cert\.v1\.([A-Za-z0-9_-]+)\.([0-9a-f]{8})\.([A-Za-z0-9_-]{86})$/;
const SIG_RE = /^[A-Za-z0-9_-]{86}$/;

export function generateMeshKeyPair(): MeshKeyPair {
  const privateKey = new Uint8Array(randomBytes(ED25519_KEY_BYTES));
  return { publicKey: ed25519PublicFromSeed(privateKey), privateKey };
}

export function encodeMeshKeyPair(k: MeshKeyPair): string {
  expectBytes(k.privateKey, ED25519_KEY_BYTES, 'Ed25519 private key (seed)');
  return `tg.mesh-key-pair.v1.${toBase64Url(k.privateKey)}`;
}

export function decodeMeshKeyPair(s: string): MeshKeyPair {
  const { bytes } = splitTagged(s, 'mesh-key-pair', false);
  expectBytes(bytes, ED25519_KEY_BYTES, 'Ed25519 private key (seed)');
  return { publicKey: ed25519PublicFromSeed(bytes), privateKey: bytes };
}

function certBody(c: DeviceCertClaims): string {
  // A fixed field order: the signed bytes are the encoded JSON itself, never re-serialised by a verifier.
  return JSON.stringify({
    device_id: c.deviceId,
    hall_id: c.hallId,
    name: c.name,
    public_key: c.publicKey,
    issued_at: c.issuedAt,
    expires_at: c.expiresAt,
  });
}

/** `tg.device-cert.v1.<base64url JSON>.<sync kid>.<base64url signature>`. */
export function issueDeviceCert(key: SyncKeyPair, claims: DeviceCertClaims): string {
  const body = toBase64Url(Buffer.from(certBody(claims), 'utf8'));
  const sig = sign(null, Buffer.from(CERT_PREFIX + body, 'utf8'), cachedPrivateKeyObject(key.privateKey));
  return `tg.device-cert.v1.${body}.${key.kid}.${toBase64Url(sig)}`;
}

/** Checks the signature with one of `trusted` (the pinned sync key and whichever it still honours) and the validity at `now`. */
export function verifyDeviceCert(cert: string, trusted: readonly SyncPublicKey[], now: number, skewMs = 0): DeviceCertCheck {
  const m = CERT_RE.exec(cert);
  if (!m) return { ok: false, reason: 'malformed certificate' };
  const [, body, kid, sig] = m as unknown as [string, string, string, string];
  const key = trusted.find((k) => k.kid === kid);
  if (!key) return { ok: false, reason: `certificate signed by sync key ${kid}, not one this gate trusts` };
  if (!verify(null, Buffer.from(CERT_PREFIX + body, 'utf8'), ed25519PublicKeyObject(key.publicKey), Buffer.from(sig, 'base64url')))
    return { ok: false, reason: 'certificate signature does not match' };
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return { ok: false, reason: 'certificate body is not JSON' };
  }
  const claims: DeviceCertClaims = {
    deviceId: String(raw.device_id),
    hallId: String(raw.hall_id),
    name: String(raw.name),
    publicKey: String(raw.public_key),
    issuedAt: Number(raw.issued_at),
    expiresAt: Number(raw.expires_at),
  };
  if (!Number.isFinite(claims.issuedAt) || !Number.isFinite(claims.expiresAt)) return { ok: false, reason: 'certificate times unreadable' };
  if (now + skewMs < claims.issuedAt) return { ok: false, reason: 'certificate not valid yet' };
  if (now - skewMs > claims.expiresAt) return { ok: false, reason: 'certificate expired' };
  return { ok: true, claims, kid };
}

/** The device's signature over one mesh message body (the exact bytes sent). */
export function signMeshMessage(key: MeshKeyPair, body: string): string {
  return toBase64Url(sign(null, Buffer.from(MESH_PREFIX + body, 'utf8'), cachedPrivateKeyObject(key.privateKey)));
}

export function verifyMeshMessage(publicKey: string, body: string, signature: string): boolean {
  if (!SIG_RE.test(signature)) return false;
  let pk: Uint8Array;
  try {
    pk = fromBase64Url(publicKey);
  } catch {
    return false;
  }
  if (pk.length !== ED25519_KEY_BYTES) return false;
  return verify(null, Buffer.from(MESH_PREFIX + body, 'utf8'), ed25519PublicKeyObject(pk), Buffer.from(signature, 'base64url'));
}

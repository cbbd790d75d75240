import { createHash, createPrivateKey, createPublicKey, randomBytes, type KeyObject } from 'node:crypto';
import { bytesEqual, fromBase64Url, isKid, kidToUint32, toBase64Url, uint32ToKid } from './bytes.js';
import { getSodium } from './sodium.js';

/** Ed25519. privateKey is the 32-byte RFC 8032 seed (not libsodium's 64-byte seed‖pk form); publicKey is 32 bytes raw. */
export interface IssuingKeyPair {
  kid: string;
  publicKey: Uint8Array;
  privateKey: Uint8Array;
}
export interface IssuingPublicKey {
  kid: string;
  publicKey: Uint8Array;
}
/** XChaCha20-Poly1305 key for one event; 32 bytes. */
export interface GateKey {
  kid: string;
  key: Uint8Array;
}
/** X25519, 32 bytes each; the device keeps privateKey, the server stores publicKey at enrolment. */
export interface DeviceKeyPair {
  publicKey: Uint8Array;
  privateKey: Uint8Array;
}

export const ED25519_KEY_BYTES = 32;
export const GATE_KEY_BYTES = 32;
export const X25519_KEY_BYTES = 32;

// DER wrappers for raw Ed25519 keys (RFC 8410): Node only imports keys as PKCS#8/SPKI/JWK.
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const KID_CONTEXT = Buffer.from('TICKETGATE:KID:ED25519:');

export function expectBytes(v: unknown, length: number, what: string): asserts v is Uint8Array {
  if (!(v instanceof Uint8Array) || v.length !== length) {
    throw new TypeError(`${what} must be a Uint8Array of ${length} bytes`);
  }
}

export function expectKid(kid: unknown, what: string): asserts kid is string {
  if (!isKid(kid)) throw new TypeError(`${what} key id must be 8 lower-case hex characters, got ${JSON.stringify(kid)}`);
}

export function ed25519PrivateKeyObject(seed: Uint8Array): KeyObject {
  expectBytes(seed, ED25519_KEY_BYTES, 'Ed25519 private key (seed)');
  return createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}

export function ed25519PublicKeyObject(publicKey: Uint8Array): KeyObject {
  expectBytes(publicKey, ED25519_KEY_BYTES, 'Ed25519 public key');
  return createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, publicKey]), format: 'der', type: 'spki' });
}

export function ed25519PublicFromSeed(seed: Uint8Array): Uint8Array {
  const spki = createPublicKey(ed25519PrivateKeyObject(seed)).export({ format: 'der', type: 'spki' });
  return new Uint8Array(spki.subarray(SPKI_ED25519_PREFIX.length));
}

// issueCredential receives the key pair on every call; re-importing the DER each
// time would cost more than the signature itself.
const privateKeyCache = new WeakMap<Uint8Array, { seed: Uint8Array; key: KeyObject }>();

export function cachedPrivateKeyObject(seed: Uint8Array): KeyObject {
  const hit = privateKeyCache.get(seed);
  // Compare contents too: the caller may have overwritten the array in place.
  if (hit && bytesEqual(hit.seed, seed)) return hit.key;
  const key = ed25519PrivateKeyObject(seed);
  privateKeyCache.set(seed, { seed: seed.slice(), key });
  return key;
}

/** Derived from the public key, so anyone holding a manifest can recompute and check it. */
export function issuingKidFor(publicKey: Uint8Array): string {
  expectBytes(publicKey, ED25519_KEY_BYTES, 'Ed25519 public key');
  const h = createHash('sha256').update(KID_CONTEXT).update(publicKey).digest();
  return kidFromDigest(h);
}

export function kidFromDigest(h: Uint8Array): string {
  return uint32ToKid(((h[0]! << 24) | (h[1]! << 16) | (h[2]! << 8) | h[3]!) >>> 0);
}

export function generateIssuingKeyPair(): IssuingKeyPair {
  const privateKey = new Uint8Array(randomBytes(ED25519_KEY_BYTES));
  const publicKey = ed25519PublicFromSeed(privateKey);
  return { kid: issuingKidFor(publicKey), publicKey, privateKey };
}

export function issuingPublicKeyOf(k: IssuingKeyPair): IssuingPublicKey {
  return { kid: k.kid, publicKey: k.publicKey.slice() };
}

/** Gate key ids are random: deriving them from the secret key would tie an identifier to secret material for no gain. */
export function generateGateKey(): GateKey {
  return { kid: uint32ToKid(randomBytes(4).readUInt32BE(0)), key: new Uint8Array(randomBytes(GATE_KEY_BYTES)) };
}

export function generateDeviceKeyPair(): DeviceKeyPair {
  const kp = getSodium().crypto_box_keypair();
  return { publicKey: kp.publicKey, privateKey: kp.privateKey };
}

// Text forms: "tg.<kind>.v1[.<kid>].<base64url>", self-describing so a key pasted
// into the wrong config field is rejected instead of silently misused.

export function splitTagged(s: string, kind: string, withKid: boolean): { kid?: string; bytes: Uint8Array } {
  if (typeof s !== 'string') throw new TypeError(`expected a ${kind} string`);
  const parts = s.split('.');
  const expected = withKid ? 5 : 4;
  if (parts.length !== expected || parts[0] !== 'tg' || parts[1] !== kind || parts[2] !== 'v1') {
    throw new TypeError(`not a tg.${kind}.v1 string`);
  }
  const bytes = fromBase64Url(parts[expected - 1]!);
  if (!withKid) return { bytes };
  const kid = parts[3];
  expectKid(kid, kind);
  return { kid, bytes };
}

export function encodeIssuingKeyPair(k: IssuingKeyPair): string {
  expectKid(k.kid, 'issuing');
  expectBytes(k.privateKey, ED25519_KEY_BYTES, 'Ed25519 private key (seed)');
  expectBytes(k.publicKey, ED25519_KEY_BYTES, 'Ed25519 public key');
  if (!bytesEqual(ed25519PublicFromSeed(k.privateKey), k.publicKey)) {
    throw new Error('issuing key pair: public key does not belong to the private key');
  }
  // The public key is derived again on decode, so only the seed is stored.
  return `tg.issuing-key-pair.v1.${k.kid}.${toBase64Url(k.privateKey)}`;
}

export function decodeIssuingKeyPair(s: string): IssuingKeyPair {
  const { kid, bytes } = splitTagged(s, 'issuing-key-pair', true);
  expectBytes(bytes, ED25519_KEY_BYTES, 'Ed25519 private key (seed)');
  return { kid: kid!, publicKey: ed25519PublicFromSeed(bytes), privateKey: bytes };
}

export function encodeIssuingPublicKey(k: IssuingPublicKey): string {
  expectKid(k.kid, 'issuing');
  expectBytes(k.publicKey, ED25519_KEY_BYTES, 'Ed25519 public key');
  return `tg.issuing-public-key.v1.${k.kid}.${toBase64Url(k.publicKey)}`;
}

export function decodeIssuingPublicKey(s: string): IssuingPublicKey {
  const { kid, bytes } = splitTagged(s, 'issuing-public-key', true);
  expectBytes(bytes, ED25519_KEY_BYTES, 'Ed25519 public key');
  return { kid: kid!, publicKey: bytes };
}

export function encodeGateKey(k: GateKey): string {
  expectKid(k.kid, 'gate');
  expectBytes(k.key, GATE_KEY_BYTES, 'gate key');
  return `tg.gate-key.v1.${k.kid}.${toBase64Url(k.key)}`;
}

export function decodeGateKey(s: string): GateKey {
  const { kid, bytes } = splitTagged(s, 'gate-key', true);
  expectBytes(bytes, GATE_KEY_BYTES, 'gate key');
  return { kid: kid!, key: bytes };
}

export function encodeDeviceKeyPair(k: DeviceKeyPair): string {
  expectBytes(k.privateKey, X25519_KEY_BYTES, 'X25519 private key');
  expectBytes(k.publicKey, X25519_KEY_BYTES, 'X25519 public key');
  if (!bytesEqual(getSodium().crypto_scalarmult_base(k.privateKey), k.publicKey)) {
    throw new Error('device key pair: public key does not belong to the private key');
  }
  return `tg.device-key-pair.v1.${toBase64Url(k.privateKey)}`;
}

export function decodeDeviceKeyPair(s: string): DeviceKeyPair {
  const { bytes } = splitTagged(s, 'device-key-pair', false);
  expectBytes(bytes, X25519_KEY_BYTES, 'X25519 private key');
  return { publicKey: getSodium().crypto_scalarmult_base(bytes), privateKey: bytes };
}

// Sealed gate key: crypto_box_seal(version 1 ‖ kid (4) ‖ key (32)). The kid travels
// inside the box so a manifest cannot pair a key with the wrong id.
const SEALED_GATE_KEY_VERSION = 1;

export function sealGateKey(k: GateKey, devicePublicKey: Uint8Array): string {
  expectKid(k.kid, 'gate');
  expectBytes(k.key, GATE_KEY_BYTES, 'gate key');
  expectBytes(devicePublicKey, X25519_KEY_BYTES, 'device X25519 public key');
  const payload = new Uint8Array(1 + 4 + GATE_KEY_BYTES);
  payload[0] = SEALED_GATE_KEY_VERSION;
  new DataView(payload.buffer).setUint32(1, kidToUint32(k.kid));
  payload.set(k.key, 5);
  const sealed = getSodium().crypto_box_seal(payload, devicePublicKey);
  payload.fill(0);
  return toBase64Url(sealed);
}

export function openGateKey(sealed: string, device: DeviceKeyPair): GateKey {
  expectBytes(device.publicKey, X25519_KEY_BYTES, 'device X25519 public key');
  expectBytes(device.privateKey, X25519_KEY_BYTES, 'device X25519 private key');
  let payload: Uint8Array;
  try {
    payload = getSodium().crypto_box_seal_open(fromBase64Url(sealed), device.publicKey, device.privateKey);
  } catch (err) {
    throw new Error('sealed gate key cannot be opened with this device key', { cause: err });
  }
  if (payload.length !== 1 + 4 + GATE_KEY_BYTES || payload[0] !== SEALED_GATE_KEY_VERSION) {
    throw new Error('sealed gate key has an unknown format');
  }
  const kid = uint32ToKid(new DataView(payload.buffer, payload.byteOffset).getUint32(1));
  return { kid, key: payload.slice(5) };
}

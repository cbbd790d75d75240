import { createHash, createHmac, hkdfSync, randomBytes, sign, timingSafeEqual, verify, type KeyObject } from 'node:crypto';
import { fromBase64Url, toBase64Url } from './bytes.js';
import {
  cachedPrivateKeyObject,
  ED25519_KEY_BYTES,
  ed25519PublicFromSeed,
  ed25519PublicKeyObject,
  expectBytes,
  expectKid,
  kidFromDigest,
  splitTagged,
} from './keys.js';

/**
 * Signed sync (docs/sync-protocol.md): the server signs everything a gate
 * trusts with an Ed25519 sync key; the gate pins that key at enrolment, bound
 * to the one-time enrolment code, and follows rotations only along a chain
 * each link of which the previous key signed.
 */

/** Ed25519, same shapes as the issuing key; a different kid derivation and text form keep the two apart. */
export interface SyncKeyPair {
  kid: string;
  publicKey: Uint8Array;
  privateKey: Uint8Array;
}
export interface SyncPublicKey {
  kid: string;
  publicKey: Uint8Array;
}

/** What a signature covers besides the body: which reply it is, so one cannot stand in for another. */
export type SyncSignedKind = 'enrol' | 'hall' | 'seats' | 'scans' | 'stream' | 'mesh-key';

const KID_CONTEXT = Buffer.from('TICKETGATE:KID:SYNC:');
const SIGNING_PREFIX = 'ticketgate-sync/v1';
const NONCE_RE = /^[A-Za-z0-9_-]{22,64}$/;
const SIGNATURE_RE = /^([0-9a-f]{8})\.([A-Za-z0-9_-]{86})$/;

export function syncKidFor(publicKey: Uint8Array): string {
  expectBytes(publicKey, ED25519_KEY_BYTES, 'Ed25519 public key');
  return kidFromDigest(createHash('sha256').update(KID_CONTEXT).update(publicKey).digest());
}

export function generateSyncKeyPair(): SyncKeyPair {
  const privateKey = new Uint8Array(randomBytes(ED25519_KEY_BYTES));
  const publicKey = ed25519PublicFromSeed(privateKey);
  return { kid: syncKidFor(publicKey), publicKey, privateKey };
}

export function encodeSyncKeyPair(k: SyncKeyPair): string {
  expectKid(k.kid, 'sync');
  expectBytes(k.privateKey, ED25519_KEY_BYTES, 'Ed25519 private key (seed)');
  return `tg.sync-key-pair.v1.${k.kid}.${toBase64Url(k.privateKey)}`;
}

export function decodeSyncKeyPair(s: string): SyncKeyPair {
  const { bytes } = splitTagged(s, 'sync-key-pair', true);
  expectBytes(bytes, ED25519_KEY_BYTES, 'Ed25519 private key (seed)');
  const publicKey = ed25519PublicFromSeed(bytes);
  return { kid: syncKidFor(publicKey), publicKey, privateKey: bytes };
}

export function encodeSyncPublicKey(k: SyncPublicKey): string {
  expectKid(k.kid, 'sync');
  expectBytes(k.publicKey, ED25519_KEY_BYTES, 'Ed25519 public key');
  return `tg.sync-public-key.v1.${k.kid}.${toBase64Url(k.publicKey)}`;
}

/** The kid is recomputed from the key: a text form whose kid does not match is refused. */
export function decodeSyncPublicKey(s: string): SyncPublicKey {
  const { kid, bytes } = splitTagged(s, 'sync-public-key', true);
  expectBytes(bytes, ED25519_KEY_BYTES, 'Ed25519 public key');
  if (syncKidFor(bytes) !== kid) throw new TypeError('sync public key: kid does not match the key');
  return { kid: kid!, publicKey: bytes };
}

/** A fresh request nonce (128 random bits): the reply signed for it cannot be replayed to another request. */
export function newSyncNonce(): string {
  return randomBytes(16).toString('base64url');
}

export function isSyncNonce(s: unknown): s is string {
  return typeof s === 'string' && NONCE_RE.test(s);
}

/**
 * The signed message: a fixed prefix, the kind, the request nonce, any extra
 * fields (the stream's message index and event name), and the SHA-256 of the
 * body bytes. Hashing first keeps signing and verifying a 10 MB snapshot at one pass.
 */
export function syncSigningInput(kind: SyncSignedKind, nonce: string, body: Uint8Array | string, extra: readonly string[] = []): Buffer {
  const head = [SIGNING_PREFIX, kind, nonce, ...extra, ''].join('\n');
  const digest = createHash('sha256').update(body).digest();
  return Buffer.concat([Buffer.from(head, 'utf8'), digest]);
}

/** `<kid>.<base64url Ed25519 signature>`: the text of the signature header and of a stream message's first data line. */
export function signSync(
  key: SyncKeyPair,
  kind: SyncSignedKind,
  nonce: string,
  body: Uint8Array | string,
  extra?: readonly string[],
): string {
  const sig = sign(null, syncSigningInput(kind, nonce, body, extra), cachedPrivateKeyObject(key.privateKey));
  return `${key.kid}.${toBase64Url(sig)}`;
}

const publicKeyCache = new Map<string, KeyObject>();
function publicKeyObject(k: SyncPublicKey): KeyObject {
  const id = `${k.kid}.${toBase64Url(k.publicKey)}`;
  let o = publicKeyCache.get(id);
  if (!o) {
    o = ed25519PublicKeyObject(k.publicKey);
    if (publicKeyCache.size > 64) publicKeyCache.clear();
    publicKeyCache.set(id, o);
  }
  return o;
}

export type SyncVerifyResult = { ok: true } | { ok: false; reason: string };

export function verifySync(
  key: SyncPublicKey,
  signature: string | null | undefined,
  kind: SyncSignedKind,
  nonce: string,
  body: Uint8Array | string,
  extra?: readonly string[],
): SyncVerifyResult {
  if (!signature) return { ok: false, reason: 'the reply is not signed' };
  const m = SIGNATURE_RE.exec(signature);
  if (!m) return { ok: false, reason: 'the signature is malformed' };
  if (m[1] !== key.kid) return { ok: false, reason: `signed with key ${m[1]}, not the pinned sync key ${key.kid}` };
  const good = verify(null, syncSigningInput(kind, nonce, body, extra), publicKeyObject(key), Buffer.from(m[2]!, 'base64url'));
  return good ? { ok: true } : { ok: false, reason: 'the signature does not match the data' };
}

function endorsementInput(prev: SyncPublicKey, next: SyncPublicKey): Buffer {
  return Buffer.from(`${SIGNING_PREFIX}\nrotate\n${prev.kid}\n${encodeSyncPublicKey(next)}`, 'utf8');
}

/** The previous sync key's signature over its successor: one link of the rotation chain. */
export function endorseSyncKey(prev: SyncKeyPair, next: SyncPublicKey): string {
  return toBase64Url(sign(null, endorsementInput(prev, next), cachedPrivateKeyObject(prev.privateKey)));
}

export function verifyEndorsement(prev: SyncPublicKey, next: SyncPublicKey, endorsement: string): boolean {
  let sig: Uint8Array;
  try {
    sig = fromBase64Url(endorsement);
  } catch {
    return false;
  }
  return sig.length === 64 && verify(null, endorsementInput(prev, next), publicKeyObject(prev), sig);
}

// ---- enrolment: what the one-time code proves ---------------------------------

/** Case, spaces and dashes do not matter when a code is typed in. */
export function normaliseEnrolmentCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, '');
}

function fromCode(code: string, info: string): Buffer {
  return Buffer.from(hkdfSync('sha256', normaliseEnrolmentCode(code), 'ticketgate-enrolment/v1', info, 32));
}

/**
 * What the gate sends instead of the code: the code itself never crosses the
 * network, so someone who reads the enrolment request still cannot compute the
 * binding key below.
 */
export function enrolmentCodeId(code: string): string {
  return fromCode(code, 'code id').toString('base64url');
}

/** The HMAC key that authenticates the enrolment reply (and with it the sync key the gate pins). */
export function enrolmentBindingKey(code: string): Uint8Array {
  return new Uint8Array(fromCode(code, 'reply binding'));
}

/** HMAC-SHA256 over the request nonce and the reply body bytes. */
export function enrolmentMac(bindingKey: Uint8Array, nonce: string, body: Uint8Array | string): string {
  return createHmac('sha256', bindingKey).update(`${SIGNING_PREFIX}\nenrol\n${nonce}\n`).update(body).digest('base64url');
}

export function verifyEnrolmentMac(
  bindingKey: Uint8Array,
  nonce: string,
  body: Uint8Array | string,
  mac: string | null | undefined,
): boolean {
  if (!mac) return false;
  const want = Buffer.from(enrolmentMac(bindingKey, nonce, body), 'base64url');
  const got = Buffer.from(mac, 'base64url');
  return got.length === want.length && timingSafeEqual(got, want);
}

// The phone's side of the device-bound ticket (docs/qr-format.md, "Device-bound
// code"): a signing key that never leaves this browser (WebCrypto, not
// extractable, kept in IndexedDB), the passes the server bound to it, and the
// code for the current 15-second step, made here with no network.
import { assembleCode, codeSignedMessage, stepAt, STEP_SECONDS, type DeviceKeyAlgorithm } from '@ticketgate/protocol/pass-code';

const DB_NAME = 'ticketgate-device';
const KEYS = 'keys';
const PASSES = 'passes';

export interface DeviceKey {
  algorithm: DeviceKeyAlgorithm;
  privateKey: CryptoKey;
  /** 'raw' export: 32 bytes Ed25519, 65 bytes P-256. */
  publicKey: Uint8Array;
}

export interface StoredPass {
  seatId: string;
  userId: string;
  /** The 198 pass bytes, base64url, as the server sent them. */
  pass: string;
  validFrom: string;
  validUntil: string;
}

export interface PassAnswer {
  pass: string;
  algorithm: DeviceKeyAlgorithm;
  generation: number;
  valid_from: string;
  valid_until: string;
  step_seconds: number;
  binding: 'bound' | 'rebound' | 'unchanged';
}

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

let opened: Promise<IDBDatabase> | null = null;
function db(): Promise<IDBDatabase> {
  opened ??= new Promise((resolve, reject) => {
    const r = indexedDB.open(DB_NAME, 1);
    r.onupgradeneeded = () => {
      r.result.createObjectStore(KEYS);
      r.result.createObjectStore(PASSES, { keyPath: 'seatId' });
    };
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
  return opened;
}

async function store(name: string, mode: IDBTransactionMode): Promise<IDBObjectStore> {
  return (await db()).transaction(name, mode).objectStore(name);
}

const ALGORITHMS: Record<DeviceKeyAlgorithm, { generate: EcKeyGenParams | Algorithm; sign: EcdsaParams | Algorithm }> = {
  Ed25519: { generate: { name: 'Ed25519' }, sign: { name: 'Ed25519' } },
  'P-256': { generate: { name: 'ECDSA', namedCurve: 'P-256' }, sign: { name: 'ECDSA', hash: 'SHA-256' } },
};

/** Ed25519 where the browser has it, else ECDSA P-256; the private half is created non-extractable. */
async function generate(): Promise<DeviceKey> {
  for (const algorithm of ['Ed25519', 'P-256'] as const) {
    try {
      const pair = (await crypto.subtle.generateKey(ALGORITHMS[algorithm].generate, false, ['sign', 'verify'])) as CryptoKeyPair;
      return { algorithm, privateKey: pair.privateKey, publicKey: new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey)) };
    } catch {
      // Not supported here: try the next one.
    }
  }
  throw new Error('This browser cannot make a signing key.');
}

/** True when this browser can hold a device key (WebCrypto and IndexedDB). */
export function deviceKeysSupported(): boolean {
  return typeof indexedDB !== 'undefined' && typeof crypto !== 'undefined' && 'subtle' in crypto;
}

/** This browser's key, made on first use. The CryptoKey is stored as such (structured clone): its private bytes never reach script. */
export async function deviceKey(): Promise<DeviceKey> {
  const existing = (await request((await store(KEYS, 'readonly')).get('device'))) as DeviceKey | undefined;
  if (existing) return existing;
  const key = await generate();
  await request((await store(KEYS, 'readwrite')).put(key, 'device'));
  return key;
}

export async function loadPass(seatId: string, userId: string): Promise<StoredPass | null> {
  const p = (await request((await store(PASSES, 'readonly')).get(seatId))) as StoredPass | undefined;
  return p && p.userId === userId ? p : null;
}

export async function savePass(p: StoredPass): Promise<void> {
  await request((await store(PASSES, 'readwrite')).put(p));
}

export async function forgetPass(seatId: string): Promise<void> {
  await request((await store(PASSES, 'readwrite')).delete(seatId));
}

/** Logging out forgets every pass; the device key stays (it is the phone's, not the account's). */
export async function forgetPasses(): Promise<void> {
  await request((await store(PASSES, 'readwrite')).clear());
}

/** The body of POST /api/tickets/:seat_id/device for this browser's key. */
export function bindingBody(key: DeviceKey, replace: boolean): { algorithm: DeviceKeyAlgorithm; public_key: string; replace: boolean } {
  return { algorithm: key.algorithm, public_key: toBase64Url(key.publicKey), replace };
}

/** The code to show during the step of `nowMs`, and when the next one is due (epoch ms). */
export async function codeAt(pass: StoredPass, key: DeviceKey, nowMs: number): Promise<{ text: string; step: number; nextAt: number }> {
  const bytes = fromBase64Url(pass.pass);
  const step = stepAt(nowMs);
  const message = codeSignedMessage(bytes, step) as Uint8Array<ArrayBuffer>;
  const signature = new Uint8Array(await crypto.subtle.sign(ALGORITHMS[key.algorithm].sign, key.privateKey, message));
  return { text: assembleCode(bytes, step, signature), step, nextAt: (step + 1) * STEP_SECONDS * 1000 };
}

function toBase64Url(b: Uint8Array): string {
  return btoa(String.fromCharCode(...b))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

function fromBase64Url(s: string): Uint8Array {
  return Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
}

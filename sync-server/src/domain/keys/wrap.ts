import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Private key material in the database is wrapped (AES-256-GCM) with a key
 * derived from MASTER_KEY, which only lives in the environment: a database dump
 * alone cannot forge tickets.
 *
 * Format v2: the wrapping key is HKDF-SHA256 of MASTER_KEY with the purpose as
 * info, and the key's purpose and id are the AEAD's associated data. So a
 * wrapped value copied onto another row (another key id, or a gate key
 * presented as the issuing key) fails to unwrap instead of being used there.
 */
export type KeyPurpose = 'issuing' | 'gate' | 'sync' | 'enrolment';

export interface WrapLabel {
  purpose: KeyPurpose;
  kid: string;
}

const VERSION = 'v2';
const SALT = Buffer.from('ticketgate/key-wrap/v2');

function kek(masterKey: string, purpose: KeyPurpose): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(masterKey, 'utf8'), SALT, `ticketgate/${purpose}`, 32));
}

const aad = (label: WrapLabel) => Buffer.from(`ticketgate:${label.purpose}:${label.kid}`, 'utf8');

export function wrapSecret(masterKey: string, label: WrapLabel, plaintext: string): string {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', kek(masterKey, label.purpose), iv);
  c.setAAD(aad(label));
  const body = Buffer.concat([c.update(plaintext, 'utf8'), c.final()]);
  return [VERSION, iv.toString('base64url'), body.toString('base64url'), c.getAuthTag().toString('base64url')].join('.');
}

export function unwrapSecret(masterKey: string, label: WrapLabel, wrapped: string): string {
  const [v, iv, body, tag] = wrapped.split('.');
  if (v !== VERSION || !iv || !body || !tag) throw new Error(`unrecognised wrapped key format (${label.purpose} key ${label.kid})`);
  const d = createDecipheriv('aes-256-gcm', kek(masterKey, label.purpose), Buffer.from(iv, 'base64url'));
  d.setAAD(aad(label));
  d.setAuthTag(Buffer.from(tag, 'base64url'));
  try {
    return Buffer.concat([d.update(Buffer.from(body, 'base64url')), d.final()]).toString('utf8');
  } catch {
    throw new Error(`${label.purpose} key ${label.kid} does not unwrap: wrong MASTER_KEY, or the value belongs to another key`);
  }
}

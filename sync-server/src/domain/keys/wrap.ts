import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Private key material in the database is wrapped (AES-256-GCM) with a key
 * derived from MASTER_KEY, which only lives in the environment: a database dump
 * alone cannot forge tickets.
 */
function kek(masterKey: string): Buffer {
  return createHash('sha256').update('ticketgate/key-wrap/v1\0').update(masterKey).digest();
}

export function wrapSecret(masterKey: string, plaintext: string): string {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', kek(masterKey), iv);
  const body = Buffer.concat([c.update(plaintext, 'utf8'), c.final()]);
  return ['v1', iv.toString('base64url'), body.toString('base64url'), c.getAuthTag().toString('base64url')].join('.');
}

export function unwrapSecret(masterKey: string, wrapped: string): string {
  const [v, iv, body, tag] = wrapped.split('.');
  if (v !== 'v1' || !iv || !body || !tag) throw new Error('unrecognised wrapped key format');
  const d = createDecipheriv('aes-256-gcm', kek(masterKey), Buffer.from(iv, 'base64url'));
  d.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([d.update(Buffer.from(body, 'base64url')), d.final()]).toString('utf8');
}

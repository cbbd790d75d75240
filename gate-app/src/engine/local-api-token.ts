// process: engine
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { kiosk } from '@ticketgate/protocol';

/** A launch token as the guard accepts it (local-api-guard.ts): base64url, 16–128 characters. */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{16,128}$/;

/** A fresh launch token: 32 random bytes, base64url. */
export function newLocalApiToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Writes the launch token to `local-api-token` in the data folder, readable by
 * the gate's user only (0600, written beside and renamed, so a reader never sees
 * half a token or a wider mode). Each launch gets a new token unless one is
 * handed in (the Electron shell passes the one its preload gives the window, so
 * an engine restart keeps the window working).
 */
export function writeLocalApiToken(dataDir: string, token: string = newLocalApiToken()): string {
  if (!TOKEN_PATTERN.test(token)) throw new Error('the local API token must be 16–128 characters of A-Z, a-z, 0-9, - and _');
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = join(dataDir, kiosk.LOCAL_API_TOKEN_FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${token}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
  return token;
}

/** The token a running gate wrote (for scripts and the Electron shell attached to an external engine). */
export function readLocalApiToken(dataDir: string): string {
  const token = readFileSync(join(dataDir, kiosk.LOCAL_API_TOKEN_FILE), 'utf8').trim();
  if (!TOKEN_PATTERN.test(token)) throw new Error(`${kiosk.LOCAL_API_TOKEN_FILE} in ${dataDir} holds no valid token`);
  return token;
}

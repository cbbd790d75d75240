import { randomUUID } from 'node:crypto';
import { SignJWT, errors as joseErrors, jwtVerify } from 'jose';
import { DomainError } from '../errors.js';
import type { Role } from './roles.js';

export type TokenKind = 'access' | 'refresh';

export interface TokenClaims {
  sub: string;
  role: Role;
  jti: string;
  typ: TokenKind;
  /** Refresh tokens: the rotation family, revoked whole when a used token is replayed (the session id). */
  fam?: string;
  /** Access tokens: the session they belong to, checked on every request (plugins/auth.ts). */
  sid?: string;
  exp: number;
}

export interface TokenSigner {
  /** `now` (ms) defaults to the wall clock; pass the app clock where expiry must follow it. */
  sign(input: {
    userId: string;
    role: Role;
    typ: TokenKind;
    ttlSeconds: number;
    jti?: string;
    family?: string;
    session?: string;
    now?: number;
  }): Promise<{
    token: string;
    jti: string;
    expiresAt: Date;
  }>;
  verify(token: string, expected: TokenKind, opts?: { now?: number }): Promise<TokenClaims>;
}

const ISSUER = 'ticketgate';

export function createTokenSigner(secret: string): TokenSigner {
  const key = new TextEncoder().encode(secret);
  return {
    async sign({ userId, role, typ, ttlSeconds, jti = randomUUID(), family, session, now = Date.now() }) {
      const iat = Math.floor(now / 1000);
      const exp = iat + ttlSeconds;
      const token = await new SignJWT({ role, typ, ...(family ? { fam: family } : {}), ...(session ? { sid: session } : {}) })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(userId)
        .setJti(jti)
        .setIssuer(ISSUER)
        .setIssuedAt(iat)
        .setExpirationTime(exp)
        .sign(key);
      return { token, jti, expiresAt: new Date(exp * 1000) };
    },
    async verify(token, expected, opts = {}) {
      try {
        const { payload } = await jwtVerify(token, key, {
          issuer: ISSUER,
          algorithms: ['HS256'],
          ...(opts.now !== undefined ? { currentDate: new Date(opts.now) } : {}),
        });
        if (payload.typ !== expected || typeof payload.sub !== 'string' || typeof payload.jti !== 'string') {
          throw new DomainError('UNAUTHORIZED', 'Invalid token.');
        }
        return payload as unknown as TokenClaims;
      } catch (err) {
        if (err instanceof DomainError) throw err;
        if (err instanceof joseErrors.JWTExpired) {
          throw new DomainError(
            'TOKEN_EXPIRED',
            expected === 'access' ? 'Access token has expired. Refresh required.' : 'Refresh token has expired. Log in again.',
          );
        }
        throw new DomainError('UNAUTHORIZED', 'Invalid token.');
      }
    },
  };
}

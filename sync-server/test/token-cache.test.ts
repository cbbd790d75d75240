import { describe, expect, it } from 'vitest';
import { createTokenSigner } from '../src/domain/auth/tokens.js';

describe('verified-token cache', () => {
  const signer = createTokenSigner('a-test-secret-that-is-long-enough-0123456789');

  it('a token verified once still expires on time, and still only counts as its own type', async () => {
    const now = Date.UTC(2030, 0, 1);
    const { token } = await signer.sign({ userId: 'u1', role: 'fan', typ: 'access', ttlSeconds: 60, now });
    expect((await signer.verify(token, 'access', { now })).sub).toBe('u1');
    expect((await signer.verify(token, 'access', { now: now + 59_000 })).sub).toBe('u1');
    await expect(signer.verify(token, 'access', { now: now + 60_000 })).rejects.toMatchObject({ code: 'TOKEN_EXPIRED' });
    await expect(signer.verify(token, 'refresh', { now })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('a token another secret signed is refused even after the genuine one was cached', async () => {
    const now = Date.UTC(2030, 0, 1);
    const { token } = await signer.sign({ userId: 'u1', role: 'fan', typ: 'access', ttlSeconds: 60, now });
    await signer.verify(token, 'access', { now });
    const forged = await createTokenSigner('another-secret-that-is-long-enough-987654').sign({
      userId: 'u1',
      role: 'admin',
      typ: 'access',
      ttlSeconds: 60,
      now,
    });
    await expect(signer.verify(forged.token, 'access', { now })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });
});

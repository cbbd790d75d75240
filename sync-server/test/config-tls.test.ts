import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

/** TLS_CERT_FILE / TLS_KEY_FILE are checked at start (the e2e tests serve real HTTPS with them). */
describe('TLS configuration', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tg-tls-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const cert = file('cert.pem', '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
  const key = file('key.pem', '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n');

  it('is plain HTTP without the two files, and reads both when given', () => {
    expect(loadConfig({}).TLS).toBeNull();
    expect(loadConfig({ TLS_CERT_FILE: cert, TLS_KEY_FILE: key }).TLS).toEqual({
      cert: expect.stringContaining('BEGIN CERTIFICATE') as string,
      key: expect.stringContaining('BEGIN PRIVATE KEY') as string,
    });
  });

  it('refuses one without the other, a missing file, and a file that is not the PEM it should be', () => {
    expect(() => loadConfig({ TLS_CERT_FILE: cert })).toThrow(
      new ConfigError('TLS_KEY_FILE', 'TLS_CERT_FILE and TLS_KEY_FILE go together'),
    );
    expect(() => loadConfig({ TLS_KEY_FILE: key })).toThrow(/TLS_CERT_FILE: TLS_CERT_FILE and TLS_KEY_FILE go together/);
    expect(() => loadConfig({ TLS_CERT_FILE: join(dir, 'none.pem'), TLS_KEY_FILE: key })).toThrow(/TLS_CERT_FILE: cannot read .*ENOENT/);
    expect(() => loadConfig({ TLS_CERT_FILE: key, TLS_KEY_FILE: key })).toThrow(/TLS_CERT_FILE: .* holds no PEM certificate/);
    expect(() => loadConfig({ TLS_CERT_FILE: cert, TLS_KEY_FILE: cert })).toThrow(/TLS_KEY_FILE: .* holds no PEM private key/);
  });
});

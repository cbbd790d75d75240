// process: engine
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { Agent, type Dispatcher } from 'undici';

export type Transport = 'https' | 'http-loopback' | 'http-insecure';

export class InsecureServerUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InsecureServerUrlError';
  }
}

const LOOPBACK_HOSTS = new Set(['localhost', '[::1]']);

/**
 * How the gate may reach its server: HTTPS, or plain HTTP only to this machine
 * (a TLS proxy beside the gate, tests) or when --allow-insecure-http says so,
 * which the kiosk then warns about for as long as it runs. The signatures still
 * protect the data over plain HTTP; TLS protects the device token and the scans.
 */
export function checkServerUrl(url: string, allowInsecureHttp: boolean): Transport {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new InsecureServerUrlError(`server URL ${JSON.stringify(url)} is not a URL`);
  }
  if (u.protocol === 'https:') return 'https';
  if (u.protocol !== 'http:')
    throw new InsecureServerUrlError(`server URL ${url}: only https:// (or http:// to this machine) is supported`);
  if (LOOPBACK_HOSTS.has(u.hostname) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(u.hostname)) return 'http-loopback';
  if (allowInsecureHttp) return 'http-insecure';
  throw new InsecureServerUrlError(
    `server URL ${url} is plain http:// to another machine: use https:// (see docs/operations.md), or pass --allow-insecure-http to accept the risk`,
  );
}

export function transportWarning(t: Transport | null): string | null {
  return t === 'http-insecure'
    ? 'INSECURE CONNECTION: the server is reached over plain http:// (--allow-insecure-http); the device token and scans cross the network unencrypted'
    : null;
}

/** A fetch dispatcher that trusts the system roots plus the given CA file (a private CA of the venue). */
export function dispatcherTrusting(caFile: string): Dispatcher {
  const ca = readFileSync(caFile, 'utf8');
  if (!ca.includes('-----BEGIN CERTIFICATE-----')) throw new Error(`${caFile} holds no PEM certificate`);
  return new Agent({ connect: { ca: [...rootCertificates, ca] } });
}

import { randomUUID } from 'node:crypto';
import {
  CredentialVerifier,
  generateGateKey,
  generateIssuingKeyPair,
  issuingPublicKeyOf,
  ready,
  type GateKey,
  type IssuingKeyPair,
  type TicketClaims,
} from '../src/index.js';

export const T0 = 1_767_225_600; // 2026-01-01T00:00:00Z

export function claims(over: Partial<TicketClaims> = {}): TicketClaims {
  return { seatId: randomUUID(), eventId: randomUUID(), hallCode: 'HALL-A', generation: 1, issuedAt: T0, ...over };
}

export interface Fixture {
  issuing: IssuingKeyPair;
  gate: GateKey;
  verifier: CredentialVerifier;
}

export async function fixture(opts: { ttlSeconds?: number; skewSeconds?: number } = {}): Promise<Fixture> {
  await ready();
  const issuing = generateIssuingKeyPair();
  const gate = generateGateKey();
  const verifier = new CredentialVerifier({ gateKeys: [gate], issuingKeys: [issuingPublicKeyOf(issuing)], ...opts });
  return { issuing, gate, verifier };
}

/** Seeded xorshift128+: the fuzz tests need a lot of cheap, reproducible randomness. */
export function prng(seed: number): () => number {
  let a = seed >>> 0 || 1;
  let b = 0x9e3779b9;
  let c = 0x243f6a88;
  let d = 0xb7e15162;
  return () => {
    const t = a ^ (a << 11);
    a = b;
    b = c;
    c = d;
    d = (d ^ (d >>> 19) ^ (t ^ (t >>> 8))) >>> 0;
    return d;
  };
}

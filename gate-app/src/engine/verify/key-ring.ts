// process: engine
import {
  CredentialVerifier,
  decodeDeviceKeyPair,
  decodeIssuingPublicKey,
  openGateKey,
  type DeviceKeyPair,
  type GateKey,
  type IssuingPublicKey,
} from '@ticketgate/crypto';
import type { KeySet } from '../store/key-repo.js';

export interface OpenedKeys {
  gateKeys: GateKey[];
  issuingKeys: IssuingPublicKey[];
  /** Keys that could not be used (sealed to another device, malformed): reported, never fatal. */
  problems: string[];
}

/** Opens a manifest's sealed gate keys with this device's box key pair and decodes the issuing keys. */
export function openKeySet(set: KeySet, boxKeyPair: string | DeviceKeyPair): OpenedKeys {
  const device = typeof boxKeyPair === 'string' ? decodeDeviceKeyPair(boxKeyPair) : boxKeyPair;
  const out: OpenedKeys = { gateKeys: [], issuingKeys: [], problems: [] };
  for (const k of set.gate) {
    try {
      const key = openGateKey(k.sealed, device);
      if (key.kid !== k.kid) out.problems.push(`gate key ${k.kid}: sealed id ${key.kid} differs; used the sealed one`);
      out.gateKeys.push(key);
    } catch (err) {
      out.problems.push(`gate key ${k.kid} of event ${k.eventId}: ${(err as Error).message}`);
    }
  }
  for (const encoded of set.issuing) {
    try {
      out.issuingKeys.push(decodeIssuingPublicKey(encoded));
    } catch (err) {
      out.problems.push(`issuing key: ${(err as Error).message}`);
    }
  }
  return out;
}

/** The verifier of this gate, re-keyed after every manifest. */
export class KeyRing {
  readonly verifier: CredentialVerifier;
  problems: string[] = [];
  verifierKeyCount = { gate: 0, issuing: 0 };

  constructor(opts: { skewSeconds?: number; ttlSeconds?: number; stepSkew?: number } = {}) {
    this.verifier = new CredentialVerifier({ gateKeys: [], issuingKeys: [], ...opts });
  }

  load(set: KeySet, boxKeyPair: string | DeviceKeyPair): void {
    const opened = openKeySet(set, boxKeyPair);
    this.verifier.setKeys(opened.gateKeys, opened.issuingKeys);
    this.problems = opened.problems;
    this.verifierKeyCount = { gate: opened.gateKeys.length, issuing: opened.issuingKeys.length };
  }
}

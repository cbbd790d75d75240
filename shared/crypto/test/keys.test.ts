import { sign, verify } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { ed25519PrivateKeyObject, ed25519PublicKeyObject } from '../src/keys.js';
import {
  decodeDeviceKeyPair,
  decodeGateKey,
  decodeIssuingKeyPair,
  decodeIssuingPublicKey,
  encodeDeviceKeyPair,
  encodeGateKey,
  encodeIssuingKeyPair,
  encodeIssuingPublicKey,
  fromBase64Url,
  generateDeviceKeyPair,
  generateGateKey,
  generateIssuingKeyPair,
  issuingKidFor,
  issuingPublicKeyOf,
  openGateKey,
  ready,
  sealGateKey,
  toBase64Url,
} from '../src/index.js';

beforeAll(() => ready());

describe('key generation', () => {
  it('makes Ed25519 issuing keys whose raw halves work with node:crypto, and whose kid derives from the public key', () => {
    const k = generateIssuingKeyPair();
    expect(k.privateKey).toHaveLength(32);
    expect(k.publicKey).toHaveLength(32);
    expect(k.kid).toMatch(/^[0-9a-f]{8}$/);
    expect(issuingKidFor(k.publicKey)).toBe(k.kid);
    const msg = new TextEncoder().encode('hello');
    const sig = sign(null, msg, ed25519PrivateKeyObject(k.privateKey));
    expect(verify(null, msg, ed25519PublicKeyObject(k.publicKey), sig)).toBe(true);
  });

  it('makes 32-byte gate keys with random 8-hex kids and X25519 device pairs', () => {
    const g = generateGateKey();
    expect(g.key).toHaveLength(32);
    expect(g.kid).toMatch(/^[0-9a-f]{8}$/);
    expect(generateGateKey().key).not.toEqual(g.key);
    const d = generateDeviceKeyPair();
    expect(d.publicKey).toHaveLength(32);
    expect(d.privateKey).toHaveLength(32);
  });
});

describe('serialisation', () => {
  it('round-trips every key kind through a JSON-safe string', () => {
    const issuing = generateIssuingKeyPair();
    const gate = generateGateKey();
    const device = generateDeviceKeyPair();
    const strings = [
      encodeIssuingKeyPair(issuing),
      encodeIssuingPublicKey(issuingPublicKeyOf(issuing)),
      encodeGateKey(gate),
      encodeDeviceKeyPair(device),
    ];
    for (const s of strings) expect(s).toMatch(/^tg\.[a-z-]+\.v1\.[A-Za-z0-9_.-]+$/);
    expect(decodeIssuingKeyPair(strings[0]!)).toEqual(issuing);
    expect(decodeIssuingPublicKey(strings[1]!)).toEqual(issuingPublicKeyOf(issuing));
    expect(decodeGateKey(strings[2]!)).toEqual(gate);
    expect(decodeDeviceKeyPair(strings[3]!)).toEqual(device);
  });

  it('refuses a string of another kind, a bad kid, bad base64url or a wrong length', () => {
    const gate = generateGateKey();
    const s = encodeGateKey(gate);
    expect(() => decodeIssuingPublicKey(s)).toThrow();
    expect(() => decodeGateKey(s.replace(gate.kid, 'ABCDEF12'))).toThrow();
    expect(() => decodeGateKey(`${s}A`)).toThrow();
    expect(() => decodeGateKey(`${s.slice(0, -2)}+/`)).toThrow();
    expect(() => decodeGateKey(s.replace('.v1.', '.v2.'))).toThrow();
    expect(() => decodeGateKey(`tg.gate-key.v1.${gate.kid}.${toBase64Url(new Uint8Array(16))}`)).toThrow();
  });

  it('refuses to encode a key pair whose halves do not belong together', () => {
    const a = generateIssuingKeyPair();
    const b = generateIssuingKeyPair();
    expect(() => encodeIssuingKeyPair({ ...a, publicKey: b.publicKey })).toThrow();
    const d = generateDeviceKeyPair();
    expect(() => encodeDeviceKeyPair({ ...d, publicKey: generateDeviceKeyPair().publicKey })).toThrow();
  });

  it('base64url is strict and canonical', () => {
    const bytes = Uint8Array.from([0xfb, 0xff, 0x00, 0x10]);
    expect(toBase64Url(bytes)).toBe('-_8AEA');
    expect(fromBase64Url('-_8AEA')).toEqual(bytes);
    expect(() => fromBase64Url('-_8AEA==')).toThrow();
    expect(() => fromBase64Url('+/8AEA')).toThrow();
    expect(() => fromBase64Url('-_8AEB')).toThrow(); // non-zero unused bits
    expect(() => fromBase64Url('A')).toThrow();
  });
});

describe('sealed gate keys', () => {
  it('only the enrolled device opens its sealed gate key, with the kid bound inside', () => {
    const gate = generateGateKey();
    const device = generateDeviceKeyPair();
    const sealed = sealGateKey(gate, device.publicKey);
    expect(sealed).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(openGateKey(sealed, device)).toEqual(gate);
    expect(sealGateKey(gate, device.publicKey)).not.toBe(sealed); // ephemeral sender key per seal
    expect(() => openGateKey(sealed, generateDeviceKeyPair())).toThrow(/cannot be opened/);
  });

  it('rejects a tampered or truncated sealed key', () => {
    const device = generateDeviceKeyPair();
    const sealed = fromBase64Url(sealGateKey(generateGateKey(), device.publicKey));
    for (let i = 0; i < sealed.length; i++) {
      const copy = sealed.slice();
      copy[i]! ^= 1;
      expect(() => openGateKey(toBase64Url(copy), device)).toThrow();
    }
    expect(() => openGateKey(toBase64Url(sealed.subarray(0, 40)), device)).toThrow();
    expect(() => openGateKey('not base64!', device)).toThrow();
  });
});

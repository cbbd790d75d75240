import { createPublicKey, type KeyObject } from 'node:crypto';
import { DEVICE_KEY_ED25519, DEVICE_KEY_FIELD_BYTES, deviceKeyAlgorithm, type DeviceKeyAlgorithm } from '@ticketgate/protocol/pass-code';
import { ed25519PublicKeyObject, ED25519_KEY_BYTES } from './keys.js';

// The fan's phone key as a pass carries it (33 bytes, docs/qr-format.md):
// 0x00 ‖ Ed25519 public key, or the SEC1 compressed P-256 point.

// SPKI wrapper of a compressed P-256 point (id-ecPublicKey, prime256v1), RFC 5480.
const SPKI_P256_COMPRESSED_PREFIX = Buffer.from('3039301306072a8648ce3d020106082a8648ce3d030107032200', 'hex');

/**
 * The pass field for a public key as WebCrypto exports it ('raw'): 32 bytes for
 * Ed25519; 65 (uncompressed) or 33 (compressed) for P-256. Throws unless the key
 * is a valid point of its curve, so a pass never carries a key no gate can use.
 */
export function deviceKeyField(algorithm: DeviceKeyAlgorithm, raw: Uint8Array): Uint8Array {
  const field = new Uint8Array(DEVICE_KEY_FIELD_BYTES);
  if (algorithm === 'Ed25519') {
    if (raw.length !== ED25519_KEY_BYTES) throw new TypeError('an Ed25519 public key is 32 bytes');
    field[0] = DEVICE_KEY_ED25519;
    field.set(raw, 1);
  } else if (raw.length === 65 && raw[0] === 0x04) {
    field[0] = 0x02 | (raw[64]! & 1);
    field.set(raw.subarray(1, 33), 1);
  } else if (raw.length === 33 && (raw[0] === 0x02 || raw[0] === 0x03)) {
    field.set(raw);
  } else {
    throw new TypeError('a P-256 public key is 65 bytes (uncompressed) or 33 bytes (compressed)');
  }
  devicePublicKeyObject(field); // throws on a point that is not on the curve
  if (algorithm === 'P-256' && raw.length === 65) {
    // The compressed form must name the same point as the y the phone sent.
    const jwk = devicePublicKeyObject(field).export({ format: 'jwk' });
    if (!Buffer.from(jwk.y!, 'base64url').equals(Buffer.from(raw.subarray(33)))) throw new TypeError('not a point of P-256');
  }
  return field;
}

/** A KeyObject for a device key field; throws when the field names no algorithm or an invalid key. */
export function devicePublicKeyObject(field: Uint8Array): KeyObject {
  const algorithm = deviceKeyAlgorithm(field);
  if (algorithm === 'Ed25519') return ed25519PublicKeyObject(field.subarray(1));
  if (algorithm === 'P-256')
    return createPublicKey({ key: Buffer.concat([SPKI_P256_COMPRESSED_PREFIX, field]), format: 'der', type: 'spki' });
  throw new TypeError('unknown device key algorithm');
}

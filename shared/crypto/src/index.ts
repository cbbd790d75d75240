// @ticketgate/crypto: ticket credential and QR text codec, key handling, server
// secrets. No I/O. QR images live in '@ticketgate/crypto/qr-image'.

export { ready, isReady } from './sodium.js';
export { toBase64Url, fromBase64Url } from './bytes.js';
export { encodeBase32, decodeBase32 } from './base32.js';
export {
  type IssuingKeyPair,
  type IssuingPublicKey,
  type GateKey,
  type DeviceKeyPair,
  generateIssuingKeyPair,
  generateGateKey,
  generateDeviceKeyPair,
  issuingPublicKeyOf,
  issuingKidFor,
  encodeIssuingKeyPair,
  decodeIssuingKeyPair,
  encodeIssuingPublicKey,
  decodeIssuingPublicKey,
  encodeGateKey,
  decodeGateKey,
  encodeDeviceKeyPair,
  decodeDeviceKeyPair,
  sealGateKey,
  openGateKey,
} from './keys.js';
export { type TicketClaims, type InvalidReason, type VerifyOutcome, CREDENTIAL_TTL_SECONDS, DEFAULT_CLOCK_SKEW_SECONDS } from './types.js';
export { CREDENTIAL_VERSION, CREDENTIAL_BYTES, CREDENTIAL_TEXT_LENGTH, HALL_CODE_BYTES, isValidHallCode } from './credential-layout.js';
export { issueCredential } from './issue.js';
export { type PassClaims, issuePass } from './pass.js';
export { deviceKeyField } from './device-key.js';
export {
  PASS_CODE_VERSION,
  PASS_BYTES,
  CODE_TEXT_LENGTH,
  STEP_SECONDS,
  DEFAULT_STEP_SKEW,
  stepAt,
  codeSignedMessage,
  assembleCode,
  type DeviceKeyAlgorithm,
} from '@ticketgate/protocol/pass-code';
export { CredentialVerifier, type CredentialVerifierOptions } from './verify.js';
export { normaliseScan } from './scan-text.js';
export {
  type PwhashParams,
  PWHASH_INTERACTIVE,
  hashPassword,
  verifyPassword,
  passwordNeedsRehash,
  generateOtp,
  hashOtp,
  verifyOtp,
} from './secrets.js';
export {
  type SyncKeyPair,
  type SyncPublicKey,
  type SyncSignedKind,
  type SyncVerifyResult,
  syncKidFor,
  generateSyncKeyPair,
  encodeSyncKeyPair,
  decodeSyncKeyPair,
  encodeSyncPublicKey,
  decodeSyncPublicKey,
  newSyncNonce,
  isSyncNonce,
  syncSigningInput,
  signSync,
  verifySync,
  endorseSyncKey,
  verifyEndorsement,
  normaliseEnrolmentCode,
  enrolmentCodeId,
  enrolmentBindingKey,
  enrolmentMac,
  verifyEnrolmentMac,
} from './sync-signature.js';
export {
  type MeshKeyPair,
  type DeviceCertClaims,
  type DeviceCertCheck,
  generateMeshKeyPair,
  encodeMeshKeyPair,
  decodeMeshKeyPair,
  issueDeviceCert,
  verifyDeviceCert,
  signMeshMessage,
  verifyMeshMessage,
} from './device-cert.js';

// Regenerates test-vectors/device-codes.json (the device-bound code, format
// version 2) from fixed keys and nonces:
//   npx tsx shared/crypto/scripts/make-pass-vectors.ts
// Ed25519 is deterministic and the P-256 device signatures use RFC 6979
// (@noble/curves), so every byte can be reproduced; the vector test fails if the
// committed file differs from what this produces.
import { p256 } from '@noble/curves/p256';
import { createHash, sign } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  CODE_SIGNING_CONTEXT,
  C_DEVICE_SIGNATURE,
  C_STEP,
  DEFAULT_STEP_SKEW,
  PASS_BYTES,
  PASS_SIGNING_CONTEXT,
  PP_DEVICE_KEY,
  PP_ISSUER_SIGNATURE,
  STEP_SECONDS,
  codeSignedMessage,
  type DeviceKeyAlgorithm,
} from '@ticketgate/protocol/pass-code';
import { encodeBase32 } from '../src/base32.js';
import { toHex } from '../src/bytes.js';
import { ed25519PrivateKeyObject, ed25519PublicFromSeed, issuingKidFor, type GateKey, type IssuingKeyPair } from '../src/keys.js';
import { buildPass, type PassClaims } from '../src/pass.js';
import { DEFAULT_CLOCK_SKEW_SECONDS, ready, type TicketClaims, type VerifyOutcome } from '../src/index.js';

const sha256 = (label: string) => new Uint8Array(createHash('sha256').update(`TicketGate test vector: ${label}`).digest());

function issuingKey(label: string): IssuingKeyPair {
  const privateKey = sha256(label);
  const publicKey = ed25519PublicFromSeed(privateKey);
  return { kid: issuingKidFor(publicKey), publicKey, privateKey };
}

interface Device {
  algorithm: DeviceKeyAlgorithm;
  privateKeyHex: string;
  /** As WebCrypto exports it ('raw'): 32 bytes Ed25519, 65 bytes uncompressed P-256. */
  publicKeyHex: string;
  sign(message: Uint8Array): Uint8Array;
}

function ed25519Device(label: string): Device {
  const seed = sha256(label);
  return {
    algorithm: 'Ed25519',
    privateKeyHex: toHex(seed),
    publicKeyHex: toHex(ed25519PublicFromSeed(seed)),
    sign: (m) => new Uint8Array(sign(null, m, ed25519PrivateKeyObject(seed))),
  };
}

function p256Device(label: string): Device {
  const d = sha256(label);
  return {
    algorithm: 'P-256',
    privateKeyHex: toHex(d),
    publicKeyHex: toHex(p256.getPublicKey(d, false)),
    // RFC 6979 deterministic ECDSA over SHA-256, r ‖ s: what WebCrypto's ECDSA gives, minus its randomness.
    sign: (m) => p256.sign(new Uint8Array(createHash('sha256').update(m).digest()), d, { prehash: false, lowS: false }).toCompactRawBytes(),
  };
}

const withoutDevice = ({ device: _device, ...rest }: PassClaims) => rest;

export async function makePassVectorFile() {
  await ready();
  const issuing = issuingKey('issuing key A');
  const untrusted = issuingKey('issuing key B (not in the verifier set)');
  const gate: GateKey = { kid: 'a1b2c3d4', key: sha256('gate key, event 1 in HALL-A') };
  const otherHallGate: GateKey = { kid: '5eed0042', key: sha256('gate key, event 2 in HALL-X (not in the verifier set)') };
  const phoneA = ed25519Device('device key, phone A (Ed25519)');
  const phoneB = p256Device('device key, phone B (P-256)');
  const thief = ed25519Device('device key, a phone the pass was copied to');
  const nonce = (name: string) => sha256(`pass nonce ${name}`).subarray(0, 24);
  const skew = DEFAULT_CLOCK_SKEW_SECONDS;
  const stepSkew = DEFAULT_STEP_SKEW;

  const T0 = 1_767_225_600; // 2026-01-01T00:00:00Z, a step boundary
  const step0 = T0 / STEP_SECONDS;
  const passClaims = (device: Device, over: Partial<PassClaims> = {}): PassClaims => ({
    seatId: '00112233-4455-6677-8899-aabbccddeeff',
    eventId: '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0',
    hallCode: 'HALL-A',
    generation: 3,
    validFrom: T0 - 3600,
    validUntil: T0 + 6 * 3600,
    device: { algorithm: device.algorithm, publicKey: Buffer.from(device.publicKeyHex, 'hex') },
    ...over,
  });
  const makeCode = (pass: Uint8Array, step: number, signer: Device) => {
    const message = codeSignedMessage(pass, step);
    const signature = signer.sign(message);
    const code = new Uint8Array(C_DEVICE_SIGNATURE + 64);
    code.set(pass);
    code.set(message.subarray(CODE_SIGNING_CONTEXT.length + C_STEP), C_STEP);
    code.set(signature, C_DEVICE_SIGNATURE);
    return { message, signature, code, text: encodeBase32(code) };
  };

  // Expectations are written out from the rules in docs/qr-format.md, not taken from the verifier.
  const expectAt = (c: PassClaims, step: number, nowMs: number): VerifyOutcome => {
    const claims: TicketClaims = {
      seatId: c.seatId,
      eventId: c.eventId,
      hallCode: c.hallCode,
      generation: c.generation,
      issuedAt: step * STEP_SECONDS,
    };
    const now = nowMs / 1000;
    const ageSeconds = now - step * STEP_SECONDS;
    const behind = Math.floor(now / STEP_SECONDS) - step;
    const status =
      now > c.validUntil + skew
        ? 'expired'
        : now < c.validFrom - skew
          ? 'not_yet_valid'
          : behind > stepSkew
            ? 'expired'
            : behind < -stepSkew
              ? 'not_yet_valid'
              : 'valid';
    return { status, claims, ageSeconds };
  };

  const specs: Array<{ name: string; device: Device; claims: PassClaims; step: number }> = [
    { name: 'ed25519-phone', device: phoneA, claims: passClaims(phoneA), step: step0 },
    { name: 'p256-phone', device: phoneB, claims: passClaims(phoneB, { generation: 4, hallCode: 'C' }), step: step0 + 1 },
    // A pass that starts later than the step shown: the window decides, not the step.
    { name: 'window-not-open', device: phoneA, claims: passClaims(phoneA, { validFrom: T0 + 60, validUntil: T0 + 7200 }), step: step0 },
  ];

  const valid = specs.map(({ name, device, claims, step }) => {
    const parts = buildPass(claims, { issuing, gate }, nonce(name));
    const c = makeCode(parts.bytes, step, device);
    const t = step * STEP_SECONDS * 1000;
    const check = (input: string, nowMs: number) => ({ input, nowMs, expect: expectAt(claims, step, nowMs) });
    return {
      name,
      device: { algorithm: device.algorithm, privateKeyHex: device.privateKeyHex, publicKeyHex: device.publicKeyHex },
      claims: { ...withoutDevice(claims), deviceKeyFieldHex: toHex(parts.plaintext.subarray(PP_DEVICE_KEY, PP_ISSUER_SIGNATURE)) },
      gateKid: gate.kid,
      issuingKid: issuing.kid,
      nonceHex: toHex(nonce(name)),
      passPlaintextHex: toHex(parts.plaintext),
      passSignedMessageHex: toHex(parts.signedMessage),
      issuerSignatureHex: toHex(parts.plaintext.subarray(PP_ISSUER_SIGNATURE)),
      passHex: toHex(parts.bytes),
      step,
      codeSignedMessageHex: toHex(c.message),
      deviceSignatureHex: toHex(c.signature),
      codeHex: toHex(c.code),
      text: c.text,
      checks: [
        check(c.text, t),
        check(c.text, t - STEP_SECONDS * 1000), // one step ahead of the gate: valid
        check(c.text, t - STEP_SECONDS * 1000 - 1), // two steps ahead
        check(c.text, t + 2 * STEP_SECONDS * 1000 - 1), // still one step behind
        check(c.text, t + 2 * STEP_SECONDS * 1000), // two steps behind: expired
        check(c.text, t + 40_000), // captured 40 s ago
        check(`${c.text.toLowerCase()}\r\n`, t + 5000),
      ],
    };
  });

  const base = valid[0]!;
  const baseClaims = specs[0]!.claims;
  const basePass = Buffer.from(base.passHex, 'hex');
  const at = base.step * STEP_SECONDS * 1000 + 5000;
  const invalid = (name: string, note: string, input: string, expect: VerifyOutcome) => ({ name, note, input, nowMs: at, expect });
  const reason = (r: string, hallCode?: string) => ({ status: 'invalid', reason: r, ...(hallCode ? { hallCode } : {}) }) as VerifyOutcome;
  const flip = (hex: string, index: number) => {
    const b = Buffer.from(hex, 'hex');
    b[index]! ^= 0x01;
    return encodeBase32(b);
  };
  const withVersion = Buffer.from(base.codeHex, 'hex');
  withVersion[0] = 3;

  const invalids = [
    invalid(
      'device-signature-flipped',
      'ed25519-phone with one bit of the device signature flipped',
      flip(base.codeHex, 230),
      reason('device_signature_failed'),
    ),
    invalid(
      'step-changed',
      'ed25519-phone with the step moved one ahead and the old device signature kept (a screenshot relabelled)',
      (() => {
        const b = Buffer.from(base.codeHex, 'hex');
        b.writeUInt32BE(base.step + 1, C_STEP);
        return encodeBase32(b);
      })(),
      reason('device_signature_failed'),
    ),
    invalid(
      'copied-pass',
      'the pass of ed25519-phone signed for the current step by another phone key (the pass copied without its key)',
      makeCode(basePass, base.step, thief).text,
      reason('device_signature_failed'),
    ),
    invalid(
      'pass-ciphertext-flipped',
      'ed25519-phone with one bit of the sealed pass flipped',
      flip(base.codeHex, 100),
      reason('decryption_failed'),
    ),
    invalid(
      'pass-hall-changed',
      'ed25519-phone with the clear hall code changed to HALL-B',
      (() => {
        const b = Buffer.from(base.codeHex, 'hex');
        b[9] = 0x42; // 'A' → 'B' in "HALL-A"
        return encodeBase32(b);
      })(),
      reason('decryption_failed'),
    ),
    invalid(
      'untrusted-issuer',
      "a pass signed by issuing key B under key A's kid, correctly device-signed",
      makeCode(buildPass(baseClaims, { issuing: { ...untrusted, kid: issuing.kid }, gate }, nonce('untrusted')).bytes, base.step, phoneA)
        .text,
      reason('signature_failed'),
    ),
    invalid(
      'other-hall',
      "a pass sealed with another hall's gate key: the clear hall code is the hint",
      makeCode(
        buildPass({ ...baseClaims, hallCode: 'HALL-X' }, { issuing, gate: otherHallGate }, nonce('other hall')).bytes,
        base.step,
        phoneA,
      ).text,
      reason('unknown_key_id', 'HALL-X'),
    ),
    invalid('version-3', 'ed25519-phone with the version byte set to 3', encodeBase32(withVersion), reason('unknown_version')),
    invalid('truncated', 'ed25519-phone without its last character', base.text.slice(0, -1), reason('wrong_length')),
    invalid('pass-alone', 'the bare pass (198 bytes) without step and signature', encodeBase32(basePass), reason('wrong_length')),
  ];

  return {
    format: 'ticketgate-device-code',
    version: 2,
    description:
      'Test vectors for the TicketGate device-bound code (format version 2, docs/qr-format.md). All byte strings are lower-case hex. ' +
      'Every check is: verify(input, nowMs) with the verifier configuration below must return `expect`.',
    verifier: {
      skewSeconds: skew,
      stepSeconds: STEP_SECONDS,
      stepSkew,
      gateKeys: [{ kid: gate.kid, keyHex: toHex(gate.key) }],
      issuingPublicKeys: [{ kid: issuing.kid, publicKeyHex: toHex(issuing.publicKey) }],
    },
    keys: {
      issuing: { kid: issuing.kid, seedHex: toHex(issuing.privateKey), publicKeyHex: toHex(issuing.publicKey) },
      untrustedIssuing: { kid: untrusted.kid, seedHex: toHex(untrusted.privateKey), publicKeyHex: toHex(untrusted.publicKey) },
      gate: { kid: gate.kid, keyHex: toHex(gate.key) },
      otherHallGate: { kid: otherHallGate.kid, keyHex: toHex(otherHallGate.key) },
      copiedToDevice: { algorithm: thief.algorithm, privateKeyHex: thief.privateKeyHex, publicKeyHex: thief.publicKeyHex },
    },
    passSigningContextHex: toHex(PASS_SIGNING_CONTEXT),
    codeSigningContextHex: toHex(CODE_SIGNING_CONTEXT),
    passBytes: PASS_BYTES,
    valid,
    invalid: invalids,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = new URL('../test-vectors/device-codes.json', import.meta.url);
  writeFileSync(out, `${JSON.stringify(await makePassVectorFile(), null, 2)}\n`);
  console.log(`wrote ${fileURLToPath(out)}`);
}

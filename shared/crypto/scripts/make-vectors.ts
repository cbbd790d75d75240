// Regenerates test-vectors/credentials.json from fixed keys and nonces:
//   npx tsx shared/crypto/scripts/make-vectors.ts
// The vector test rebuilds the same document in memory and fails if the committed
// file differs, so a format change cannot slip through without new vectors.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { encodeBase32 } from '../src/base32.js';
import { toHex } from '../src/bytes.js';
import { CREDENTIAL_BYTES, H_HALL, H_VERSION, P_SIGNATURE, SIGNING_CONTEXT } from '../src/credential-layout.js';
import { buildCredential } from '../src/issue.js';
import { ed25519PrivateKeyObject, issuingKidFor, type GateKey, type IssuingKeyPair } from '../src/keys.js';
import {
  CREDENTIAL_TTL_SECONDS,
  DEFAULT_CLOCK_SKEW_SECONDS,
  ready,
  type InvalidReason,
  type TicketClaims,
  type VerifyOutcome,
} from '../src/index.js';
import { createPublicKey } from 'node:crypto';

const sha256 = (label: string) => new Uint8Array(createHash('sha256').update(`TicketGate test vector: ${label}`).digest());

function issuingKey(label: string, kid?: string): IssuingKeyPair {
  const privateKey = sha256(label);
  const spki = createPublicKey(ed25519PrivateKeyObject(privateKey)).export({ format: 'der', type: 'spki' });
  const publicKey = new Uint8Array(spki.subarray(12));
  return { kid: kid ?? issuingKidFor(publicKey), publicKey, privateKey };
}

export interface VectorCheck {
  input: string;
  nowMs: number;
  expect: VerifyOutcome;
}
export interface ValidVector {
  name: string;
  claims: TicketClaims;
  gateKid: string;
  issuingKid: string;
  nonceHex: string;
  plaintextHex: string;
  signedMessageHex: string;
  signatureHex: string;
  credentialHex: string;
  text: string;
  checks: VectorCheck[];
}
export interface InvalidVector {
  name: string;
  note: string;
  input: string;
  nowMs: number;
  expect: VerifyOutcome;
}

export async function makeVectorFile() {
  await ready();
  const issuing = issuingKey('issuing key A');
  const untrusted = issuingKey('issuing key B (not in the verifier set)');
  const gate: GateKey = { kid: 'a1b2c3d4', key: sha256('gate key, event 1 in HALL-A') };
  const otherHallGate: GateKey = { kid: '5eed0042', key: sha256('gate key, event 2 in HALL-X (not in the verifier set)') };
  const nonce = (name: string) => sha256(`nonce ${name}`).subarray(0, 24);

  // Expectations are written out from the rules in docs/qr-format.md, not taken
  // from our verifier, so the vector test checks the verifier rather than itself.
  const ttl = CREDENTIAL_TTL_SECONDS;
  const skew = DEFAULT_CLOCK_SKEW_SECONDS;
  const fresh = (claims: TicketClaims, nowMs: number): VerifyOutcome => {
    const ageSeconds = (nowMs - claims.issuedAt * 1000) / 1000;
    const status = ageSeconds > ttl + skew ? 'expired' : ageSeconds < -skew ? 'not_yet_valid' : 'valid';
    return { status, claims, ageSeconds };
  };

  const specs: Array<{ name: string; claims: TicketClaims }> = [
    {
      name: 'basic',
      claims: {
        seatId: '00112233-4455-6677-8899-aabbccddeeff',
        eventId: '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0',
        hallCode: 'HALL-A',
        generation: 0,
        issuedAt: 1_767_225_600,
      },
    },
    {
      name: 'max-fields',
      claims: {
        seatId: 'ffffffff-ffff-ffff-ffff-ffffffffffff',
        eventId: '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0',
        hallCode: 'HALL-B12',
        generation: 4_294_967_295,
        issuedAt: 4_294_967_295,
      },
    },
    {
      name: 'short-hall-reissued',
      claims: {
        seatId: '9b2e4c1a-0d3f-4e5b-8a6c-7d8e9f0a1b2c',
        eventId: '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0',
        hallCode: 'C',
        generation: 7,
        issuedAt: 1_767_225_661,
      },
    },
  ];

  const valid: ValidVector[] = specs.map(({ name, claims }) => {
    const n = nonce(name);
    const parts = buildCredential(claims, { issuing, gate }, n);
    const text = encodeBase32(parts.bytes);
    const t = claims.issuedAt * 1000;
    const check = (input: string, nowMs: number): VectorCheck => ({ input, nowMs, expect: fresh(claims, nowMs) });
    return {
      name,
      claims,
      gateKid: gate.kid,
      issuingKid: issuing.kid,
      nonceHex: toHex(n),
      plaintextHex: toHex(parts.plaintext),
      signedMessageHex: toHex(parts.signedMessage),
      signatureHex: toHex(parts.plaintext.subarray(P_SIGNATURE)),
      credentialHex: toHex(parts.bytes),
      text,
      checks: [
        check(text, t),
        check(text, t + 70_000),
        check(text, t + 70_001),
        check(text, t - 10_000),
        check(text, t - 10_001),
        check(`${text.toLowerCase()}\r\n`, t + 30_000),
        check(`\t${text}\n`, t + 30_000),
      ],
    };
  });

  const base = valid[0]!;
  const baseBytes = Buffer.from(base.credentialHex, 'hex');
  const at = base.claims.issuedAt * 1000 + 5000;
  const variant = (edit: (b: Uint8Array) => Uint8Array) => encodeBase32(edit(new Uint8Array(baseBytes)));
  const issued = (name: string, claims: TicketClaims, keys: { issuing: IssuingKeyPair; gate: GateKey }) =>
    encodeBase32(buildCredential(claims, keys, nonce(name)).bytes);
  const invalid = (name: string, note: string, input: string, reason: InvalidReason, hallCode?: string): InvalidVector => ({
    name,
    note,
    input,
    nowMs: at,
    expect: hallCode === undefined ? { status: 'invalid', reason } : { status: 'invalid', reason, hallCode },
  });

  const invalids: InvalidVector[] = [
    invalid(
      'tampered-ciphertext',
      'basic with bit 0 of byte 100 flipped',
      variant((b) => {
        b[100]! ^= 1;
        return b;
      }),
      'decryption_failed',
    ),
    invalid(
      'tampered-hall',
      'basic with the clear hall code rewritten to HALL-B: the header is AEAD associated data',
      variant((b) => {
        b.set(Buffer.from('HALL-B'), H_HALL);
        return b;
      }),
      'decryption_failed',
    ),
    invalid(
      'tampered-tag',
      'basic with the last byte (Poly1305 tag) flipped',
      variant((b) => {
        b[CREDENTIAL_BYTES - 1]! ^= 0x80;
        return b;
      }),
      'decryption_failed',
    ),
    invalid(
      'other-hall',
      'issued under a gate key the verifier does not hold, for HALL-X: unknown_key_id with the unauthenticated hall hint',
      issued('other-hall', { ...base.claims, hallCode: 'HALL-X' }, { issuing, gate: otherHallGate }),
      'unknown_key_id',
      'HALL-X',
    ),
    invalid(
      'untrusted-issuer',
      'signed by issuing key B (its own kid), sealed under the known gate key',
      issued('untrusted-issuer', base.claims, { issuing: untrusted, gate }),
      'unknown_key_id',
      'HALL-A',
    ),
    invalid(
      'forged-signature',
      "signed by issuing key B using key A's kid (a stolen kiosk's gate key cannot forge)",
      issued('forged-signature', base.claims, { issuing: { ...untrusted, kid: issuing.kid }, gate }),
      'signature_failed',
    ),
    invalid(
      'version-3',
      'basic with the version byte set to 3 (version 2, the device-bound code, has another length)',
      variant((b) => {
        b[H_VERSION] = 3;
        return b;
      }),
      'unknown_version',
    ),
    invalid('truncated', 'basic without its last character', base.text.slice(0, -1), 'wrong_length'),
    invalid('extended', 'basic with one extra character', `${base.text}A`, 'wrong_length'),
    invalid('not-base32', "basic with character 10 replaced by '0'", `${base.text.slice(0, 10)}0${base.text.slice(11)}`, 'not_base32'),
    invalid('padded', "basic with RFC 4648 '=' padding appended", `${base.text}======`, 'not_base32'),
    invalid(
      'non-canonical-tail',
      'basic with a padding bit set in the last character',
      base.text.slice(0, -1) + 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'['ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'.indexOf(base.text.at(-1)!) | 1],
      'not_base32',
    ),
    invalid('empty', 'empty scan', '', 'wrong_length'),
  ];

  return {
    format: 'ticketgate-credential',
    version: 1,
    description:
      'Test vectors for the TicketGate ticket credential v1 (docs/qr-format.md). All byte strings are lower-case hex. Every check is: verify(input, nowMs) with the verifier configuration below must return `expect`.',
    verifier: {
      ttlSeconds: CREDENTIAL_TTL_SECONDS,
      skewSeconds: DEFAULT_CLOCK_SKEW_SECONDS,
      gateKeys: [{ kid: gate.kid, keyHex: toHex(gate.key) }],
      issuingPublicKeys: [{ kid: issuing.kid, publicKeyHex: toHex(issuing.publicKey) }],
    },
    keys: {
      issuing: { kid: issuing.kid, seedHex: toHex(issuing.privateKey), publicKeyHex: toHex(issuing.publicKey) },
      untrustedIssuing: { kid: untrusted.kid, seedHex: toHex(untrusted.privateKey), publicKeyHex: toHex(untrusted.publicKey) },
      gate: { kid: gate.kid, keyHex: toHex(gate.key) },
      otherHallGate: { kid: otherHallGate.kid, keyHex: toHex(otherHallGate.key) },
    },
    signingContextHex: toHex(SIGNING_CONTEXT),
    valid,
    invalid: invalids,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = new URL('../test-vectors/credentials.json', import.meta.url);
  writeFileSync(out, `${JSON.stringify(await makeVectorFile(), null, 2)}\n`);
  console.log(`wrote ${fileURLToPath(out)}`);
}

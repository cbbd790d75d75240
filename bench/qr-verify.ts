// Credential verification throughput on one core, next to the raw Ed25519
// verification it is built on, measured in the same run.
//   npx tsx bench/qr-verify.ts [--seconds=5]   (measuring time per path)
// Budgets: one v1 credential verify() costs at most 1.5× one raw Ed25519 verify;
// one device-bound code (two signatures: the server's on the pass, the phone's on
// the step) at most 2.5× the cost of two raw Ed25519 verifies.
import { generateKeyPairSync, randomBytes, randomUUID, sign, verify as ed25519Verify, type KeyObject } from 'node:crypto';
import {
  CredentialVerifier,
  generateGateKey,
  generateIssuingKeyPair,
  issuingPublicKeyOf,
  ready,
  type TicketClaims,
} from '@ticketgate/crypto';
import { encodeBase32 } from '../shared/crypto/src/base32.js';
import { P_SIGNATURE } from '../shared/crypto/src/credential-layout.js';
import { buildCredential } from '../shared/crypto/src/issue.js';
import { ed25519PublicKeyObject } from '../shared/crypto/src/keys.js';
import { buildPass } from '../shared/crypto/src/pass.js';
import { assembleCode, codeSignedMessage, stepAt } from '../shared/protocol/src/pass-code.js';

function arg(name: string, fallback: number): number {
  const hit = process.argv.find((a) => a.startsWith(`--${name}=`));
  return hit ? Number(hit.slice(name.length + 3)) : fallback;
}

const SECONDS = arg('seconds', 5);
const SAMPLES = 256;
const SLICE_SECONDS = 0.1;

await ready();
const issuing = generateIssuingKeyPair();
const gate = generateGateKey();
// A realistic key set: several events' gate keys and a rotated-out issuing key.
const verifier = new CredentialVerifier({
  gateKeys: [gate, generateGateKey(), generateGateKey()],
  issuingKeys: [issuingPublicKeyOf(issuing), issuingPublicKeyOf(generateIssuingKeyPair())],
});
const publicKey = ed25519PublicKeyObject(issuing.publicKey);

const nowSec = Math.floor(Date.now() / 1000);
const texts: string[] = [];
const messages: Uint8Array[] = [];
const signatures: Uint8Array[] = [];
for (let i = 0; i < SAMPLES; i++) {
  const claims: TicketClaims = { seatId: randomUUID(), eventId: randomUUID(), hallCode: 'HALL-A', generation: i, issuedAt: nowSec };
  const parts = buildCredential(claims, { issuing, gate }, new Uint8Array(randomBytes(24)));
  texts.push(encodeBase32(parts.bytes));
  messages.push(parts.signedMessage);
  signatures.push(parts.plaintext.slice(P_SIGNATURE));
}
const nowMs = nowSec * 1000 + 500;
if (texts.some((t) => verifier.verify(t, nowMs).status !== 'valid')) throw new Error('bench setup: a credential did not verify');

// Device-bound codes, each from its own phone key. A gate usually sees a phone once
// (entry), so the main figure uses more phones than the verifier's parsed-key cache
// holds: every scan imports its phone key. The "seen before" figure is a repeat scan.
const PHONES = 5000;
const step = stepAt(nowMs);
function deviceCodes(n: number, phone: () => { algorithm: 'Ed25519' | 'P-256'; raw: Uint8Array; sign(m: Uint8Array): Uint8Array }) {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const p = phone();
    const claims = { seatId: randomUUID(), eventId: randomUUID(), hallCode: 'HALL-A', generation: i };
    const device = { algorithm: p.algorithm, publicKey: p.raw };
    const pass = buildPass(
      { ...claims, validFrom: nowSec - 3600, validUntil: nowSec + 3600, device },
      { issuing, gate },
      new Uint8Array(randomBytes(24)),
    ).bytes;
    out.push(assembleCode(pass, step, p.sign(codeSignedMessage(pass, step))));
  }
  return out;
}
const ed25519Phone = () => {
  const { publicKey: pub, privateKey } = generateKeyPairSync('ed25519');
  const raw = new Uint8Array(Buffer.from(pub.export({ format: 'jwk' }).x!, 'base64url'));
  return { algorithm: 'Ed25519' as const, raw, sign: (m: Uint8Array) => new Uint8Array(sign(null, m, privateKey as KeyObject)) };
};
const p256Phone = () => {
  const { publicKey: pub, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = pub.export({ format: 'jwk' });
  const raw = new Uint8Array(Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y!, 'base64url')]));
  return {
    algorithm: 'P-256' as const,
    raw,
    sign: (m: Uint8Array) => new Uint8Array(sign('sha256', m, { key: privateKey, dsaEncoding: 'ieee-p1363' })),
  };
};
const firstSight = deviceCodes(PHONES, ed25519Phone);
const repeat = firstSight.slice(0, SAMPLES);
const p256FirstSight = deviceCodes(PHONES, p256Phone);
for (const set of [firstSight, p256FirstSight])
  if (set.some((t) => verifier.verify(t, nowMs).status !== 'valid')) throw new Error('bench setup: a device-bound code did not verify');

/** Runs fn over n samples in batches for about `seconds`; returns operations per second. */
function rate(fn: (i: number) => boolean, seconds: number, n = SAMPLES): number {
  let ops = 0;
  let ok = 0;
  const start = process.hrtime.bigint();
  const budget = BigInt(Math.round(seconds * 1e9));
  let elapsed = 0n;
  let next = 0;
  while (elapsed < budget) {
    for (let i = 0; i < SAMPLES; i++) {
      if (fn(next)) ok++;
      next = (next + 1) % n;
    }
    ops += SAMPLES;
    elapsed = process.hrtime.bigint() - start;
  }
  if (ok !== ops) throw new Error('a verification failed during the bench');
  return ops / (Number(elapsed) / 1e9);
}

const raw = (i: number) => ed25519Verify(null, messages[i]!, publicKey, signatures[i]!);
const full = (i: number) => verifier.verify(texts[i]!, nowMs).status === 'valid';
const bound = (i: number) => verifier.verify(firstSight[i]!, nowMs).status === 'valid';
const boundRepeat = (i: number) => verifier.verify(repeat[i]!, nowMs).status === 'valid';
const boundP256 = (i: number) => verifier.verify(p256FirstSight[i]!, nowMs).status === 'valid';

// Warm every path up so the JIT has settled before anything is counted.
rate(raw, 0.3);
rate(full, 0.3);
rate(bound, 0.3, PHONES);
rate(boundRepeat, 0.3);
rate(boundP256, 0.3, PHONES);

const raws: number[] = [];
const fulls: number[] = [];
const ratios: number[] = [];
const bounds: number[] = [];
const boundRatios: number[] = [];
const repeats: number[] = [];
const p256s: number[] = [];
// Many short interleaved slices, compared pairwise: other processes on the machine and
// CPU frequency changes then hit both figures alike instead of skewing one of them.
const slices = Math.max(1, Math.round(SECONDS / SLICE_SECONDS));
for (let r = 0; r < slices; r++) {
  const a = rate(raw, SLICE_SECONDS);
  const b = rate(full, SLICE_SECONDS);
  const c = rate(bound, SLICE_SECONDS, PHONES);
  raws.push(a);
  fulls.push(b);
  ratios.push(a / b);
  bounds.push(c);
  // Against two raw verifications: the pass signature and the phone signature.
  boundRatios.push(a / 2 / c);
  repeats.push(rate(boundRepeat, SLICE_SECONDS / 2));
  p256s.push(rate(boundP256, SLICE_SECONDS / 2, PHONES));
}
const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
const rawRate = median(raws);
const fullRate = median(fulls);
const ratio = median(ratios);
const boundRate = median(bounds);
const boundRatio = median(boundRatios);

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
console.log(`node ${process.version}, one core, ${SECONDS} s per path in interleaved ${SLICE_SECONDS * 1000} ms slices, medians`);
console.log(`raw Ed25519 verify (node:crypto, 73-byte message): ${fmt(rawRate)} /s  (${(1e6 / rawRate).toFixed(1)} µs)`);
console.log(`credential verify (Base32 → XChaCha20-Poly1305 → Ed25519 → claims): ${fmt(fullRate)} /s  (${(1e6 / fullRate).toFixed(1)} µs)`);
console.log(
  `cost ratio verify / raw (median of paired slices): ${ratio.toFixed(3)}×  (budget 1.5×) ${ratio <= 1.5 ? 'OK' : 'OVER BUDGET'}`,
);
console.log(
  `device-bound verify, Ed25519 phone, first sight of its key (Base32 → AEAD → issuer Ed25519 → key import → phone Ed25519 → step): ${fmt(boundRate)} /s  (${(1e6 / boundRate).toFixed(1)} µs)`,
);
console.log(`device-bound verify, Ed25519 phone seen before (parsed key cached): ${fmt(median(repeats))} /s`);
console.log(`device-bound verify, P-256 phone (ECDSA fallback), first sight: ${fmt(median(p256s))} /s`);
console.log(
  `cost ratio device-bound / two raw (median of paired slices): ${boundRatio.toFixed(3)}×  (budget 2.5×) ${boundRatio <= 2.5 ? 'OK' : 'OVER BUDGET'}`,
);
console.log(
  JSON.stringify({
    bench: 'qr-verify',
    rawEd25519PerSec: Math.round(rawRate),
    verifyPerSec: Math.round(fullRate),
    ratio: Number(ratio.toFixed(3)),
    deviceBoundPerSec: Math.round(boundRate),
    deviceBoundRepeatPerSec: Math.round(median(repeats)),
    deviceBoundP256PerSec: Math.round(median(p256s)),
    deviceBoundRatioToTwoRaw: Number(boundRatio.toFixed(3)),
  }),
);

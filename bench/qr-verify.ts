// Credential verification throughput on one core, next to the raw Ed25519
// verification it is built on, measured in the same run.
//   npx tsx bench/qr-verify.ts [--seconds=5]   (measuring time per path)
// Budget (issue 3): one verify() costs at most 1.5× one raw Ed25519 verify.
import { randomBytes, randomUUID, verify as ed25519Verify } from 'node:crypto';
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

/** Runs fn in batches for about `seconds`; returns operations per second. */
function rate(fn: (i: number) => boolean, seconds: number): number {
  let ops = 0;
  let ok = 0;
  const start = process.hrtime.bigint();
  const budget = BigInt(Math.round(seconds * 1e9));
  let elapsed = 0n;
  while (elapsed < budget) {
    for (let i = 0; i < SAMPLES; i++) if (fn(i)) ok++;
    ops += SAMPLES;
    elapsed = process.hrtime.bigint() - start;
  }
  if (ok !== ops) throw new Error('a verification failed during the bench');
  return ops / (Number(elapsed) / 1e9);
}

const raw = (i: number) => ed25519Verify(null, messages[i]!, publicKey, signatures[i]!);
const full = (i: number) => verifier.verify(texts[i]!, nowMs).status === 'valid';

// Warm both paths up so the JIT has settled before anything is counted.
rate(raw, 0.3);
rate(full, 0.3);

const raws: number[] = [];
const fulls: number[] = [];
const ratios: number[] = [];
// Many short interleaved slices, compared pairwise: other processes on the machine and
// CPU frequency changes then hit both figures alike instead of skewing one of them.
const slices = Math.max(1, Math.round(SECONDS / SLICE_SECONDS));
for (let r = 0; r < slices; r++) {
  const a = rate(raw, SLICE_SECONDS);
  const b = rate(full, SLICE_SECONDS);
  raws.push(a);
  fulls.push(b);
  ratios.push(a / b);
}
const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
const rawRate = median(raws);
const fullRate = median(fulls);
const ratio = median(ratios);

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
console.log(`node ${process.version}, one core, ${SECONDS} s per path in interleaved ${SLICE_SECONDS * 1000} ms slices, medians`);
console.log(`raw Ed25519 verify (node:crypto, 73-byte message): ${fmt(rawRate)} /s  (${(1e6 / rawRate).toFixed(1)} µs)`);
console.log(`credential verify (Base32 → XChaCha20-Poly1305 → Ed25519 → claims): ${fmt(fullRate)} /s  (${(1e6 / fullRate).toFixed(1)} µs)`);
console.log(
  `cost ratio verify / raw (median of paired slices): ${ratio.toFixed(3)}×  (budget 1.5×) ${ratio <= 1.5 ? 'OK' : 'OVER BUDGET'}`,
);
console.log(
  JSON.stringify({
    bench: 'qr-verify',
    rawEd25519PerSec: Math.round(rawRate),
    verifyPerSec: Math.round(fullRate),
    ratio: Number(ratio.toFixed(3)),
  }),
);

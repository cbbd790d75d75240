import { createRequire } from 'node:module';
import type * as SodiumModule from 'libsodium-wrappers-sumo';

export type Sodium = typeof SodiumModule;

// The ESM build of libsodium-wrappers(-sumo) 0.7.16 imports a sibling file that
// the package does not ship (ERR_MODULE_NOT_FOUND under plain Node), so load the
// CommonJS build, which works everywhere we run (node, tsx, vitest, Electron main).
// Sumo, because the standard build has no crypto_pwhash_str; one libsodium for the
// whole package keeps a single wasm heap.
const sodium = createRequire(import.meta.url)('libsodium-wrappers-sumo') as Sodium;

let initialised = false;
let pending: Promise<void> | undefined;

/** Initialises libsodium (wasm). Idempotent; every sync API that needs libsodium requires it first. */
export function ready(): Promise<void> {
  pending ??= sodium.ready.then(() => {
    initialised = true;
  });
  return pending;
}

export function isReady(): boolean {
  return initialised;
}

/** The initialised libsodium; throws a clear error instead of the wasm's cryptic one when ready() was forgotten. */
export function getSodium(): Sodium {
  if (!initialised) throw new Error('@ticketgate/crypto: call `await ready()` before using libsodium-backed functions');
  return sodium;
}

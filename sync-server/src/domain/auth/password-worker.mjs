// One password-hashing thread of PasswordWorkerPool (password-pool.ts): runs the
// blocking argon2id calls of @ticketgate/crypto so the server's event loop does not.
//
// Plain JavaScript because a worker cannot load TypeScript on its own: not under
// vitest (no Node loader), and not under `npm start` either (workers inherit tsx's
// execArgv, but on Node 20 that leaves them without its hooks). The crypto package
// is TypeScript source, so it is loaded through tsx's scoped tsImport when it
// resolves to a .ts file, and imported directly when it is compiled JavaScript
// (docs/decisions/0005-password-hashing-workers.md).
//
// Protocol (keep in step with password-pool.ts):
//   in:  { id, op: 'hash', password, params } | { id, op: 'verify', encoded, password }
//   out: { id, value } or { id, error: { name, message } }
import { parentPort } from 'node:worker_threads';

const CRYPTO = '@ticketgate/crypto';

async function loadCrypto() {
  if (!import.meta.resolve(CRYPTO).endsWith('.ts')) return import(CRYPTO);
  const { tsImport } = await import('tsx/esm/api');
  return tsImport(CRYPTO, import.meta.url);
}

const { hashPassword, verifyPassword, ready } = await loadCrypto();
// Tasks posted during start-up wait in the port until the listener below exists.
await ready();

async function run(task) {
  if (task.op === 'hash') return hashPassword(task.password, task.params);
  if (task.op === 'verify') return verifyPassword(task.encoded, task.password);
  throw new TypeError(`unknown password task ${String(task.op)}`);
}

parentPort.on('message', async (task) => {
  try {
    parentPort.postMessage({ id: task.id, value: await run(task) });
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    parentPort.postMessage({ id: task.id, error: { name: e.name, message: e.message } });
  }
});

// process: node (worker thread of PasswordWorkerPool)
// One password-hashing thread: runs the blocking argon2id calls of
// @ticketgate/crypto so the server's event loop does not. The compiled server
// starts the bundled dist/password-worker.js; from source, password-worker.mjs
// loads this file through tsx (docs/decisions/0005-password-hashing-workers.md).
import { parentPort } from 'node:worker_threads';
import { hashPassword, ready, verifyPassword } from '@ticketgate/crypto';
import type { PasswordJob, PasswordReply } from './password-pool.js';

if (!parentPort) throw new Error('password-worker runs as a worker thread of PasswordWorkerPool');
const port = parentPort;

// Tasks posted during start-up wait in the port until the listener below exists.
await ready();

async function run(job: PasswordJob): Promise<unknown> {
  if (job.op === 'hash') return hashPassword(job.password, job.params);
  if (job.op === 'verify') return verifyPassword(job.encoded, job.password);
  throw new TypeError(`unknown password task ${String((job as { op: unknown }).op)}`);
}

async function answer(task: PasswordJob & { id: number }): Promise<void> {
  let reply: PasswordReply;
  try {
    reply = { id: task.id, value: await run(task) };
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    reply = { id: task.id, error: { name: e.name, message: e.message } };
  }
  port.postMessage(reply);
}

// answer() never rejects: every failure becomes an error reply.
port.on('message', (task: PasswordJob & { id: number }) => void answer(task));

import { Worker } from 'node:worker_threads';
import { hashPassword, verifyPassword, type PwhashParams } from '@ticketgate/crypto';
import { DomainError } from '../errors.js';

/** argon2id hashing and verification, wherever they run. */
export interface PasswordHasher {
  hash(password: string, params: PwhashParams): Promise<string>;
  verify(encoded: string, password: string): Promise<boolean>;
  close(): Promise<void>;
}

/** On the calling thread: blocks the event loop for each hash (PASSWORD_HASH_WORKERS=0). */
export const inlineHasher: PasswordHasher = {
  hash: hashPassword,
  verify: verifyPassword,
  close: async () => {},
};

// Messages to and from password-worker.ts.
export type PasswordJob = { op: 'hash'; password: string; params: PwhashParams } | { op: 'verify'; encoded: string; password: string };
export type PasswordReply = { id: number; value: unknown } | { id: number; error: { name: string; message: string } };

interface Task {
  id: number;
  job: PasswordJob;
  attempts: number;
  resolve(value: unknown): void;
  reject(err: Error): void;
}

interface Thread {
  worker: Worker;
  task?: Task;
  /** Why the thread died, when it threw (start-up failure, crash). */
  error?: Error;
}

// Compiled (dist/*.js): the bundled worker next to this code. From source: the .mjs that loads the .ts through tsx.
const WORKER_URL = import.meta.url.endsWith('.ts')
  ? new URL('./password-worker.mjs', import.meta.url)
  : new URL('./password-worker.js', import.meta.url);
// A hash lost with its thread is tried once more on the replacement: a thread
// killed from outside should not fail a login, and an input that kills threads
// cannot keep the pool restarting.
const MAX_ATTEMPTS = 2;
const shuttingDown = () => new DomainError('SERVICE_UNAVAILABLE', 'The server is shutting down. Retry shortly.');

export interface PasswordPoolOptions {
  size: number;
  /** Tasks allowed to wait for a thread; beyond it, SERVICE_UNAVAILABLE (a login flood cannot grow memory without bound). */
  maxWaiting?: number;
}

/**
 * A fixed number of worker threads running @ticketgate/crypto's argon2id, so a
 * burst of logins costs the event loop only message passing. Threads start on
 * demand (the first `size` concurrent tasks) and a thread that dies is replaced
 * the next time one is needed.
 */
export class PasswordWorkerPool implements PasswordHasher {
  readonly size: number;
  readonly maxWaiting: number;
  private readonly threads = new Set<Thread>();
  private readonly waiting: Task[] = [];
  private nextId = 1;
  private closed = false;
  private lostThreads = 0;

  constructor(opts: PasswordPoolOptions) {
    if (!Number.isInteger(opts.size) || opts.size < 1) throw new RangeError('size must be an integer ≥ 1');
    this.size = opts.size;
    this.maxWaiting = opts.maxWaiting ?? 1000;
  }

  hash(password: string, params: PwhashParams): Promise<string> {
    return this.submit({ op: 'hash', password, params }) as Promise<string>;
  }

  verify(encoded: string, password: string): Promise<boolean> {
    return this.submit({ op: 'verify', encoded, password }) as Promise<boolean>;
  }

  /** Live threads, busy tasks, tasks waiting, threads lost since creation (monitoring and tests). */
  stats(): { threads: number; busy: number; waiting: number; lost: number } {
    const busy = [...this.threads].filter((t) => t.task).length;
    return { threads: this.threads.size, busy, waiting: this.waiting.length, lost: this.lostThreads };
  }

  /** The live worker threads; tests terminate one to stand for a crash. */
  workers(): Worker[] {
    return [...this.threads].map((t) => t.worker);
  }

  /** Fails waiting and running tasks with SERVICE_UNAVAILABLE and ends every thread. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const task of this.waiting.splice(0)) task.reject(shuttingDown());
    const threads = [...this.threads];
    this.threads.clear();
    for (const t of threads) t.task?.reject(shuttingDown());
    await Promise.all(threads.map((t) => t.worker.terminate()));
  }

  private submit(job: PasswordJob): Promise<unknown> {
    if (this.closed) return Promise.reject(shuttingDown());
    if (this.waiting.length >= this.maxWaiting) {
      return Promise.reject(new DomainError('SERVICE_UNAVAILABLE', 'Too many sign-ins at once. Retry in a few seconds.'));
    }
    return new Promise((resolve, reject) => {
      this.waiting.push({ id: this.nextId++, job, attempts: 0, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.waiting.length > 0) {
      const thread = [...this.threads].find((t) => !t.task) ?? (this.threads.size < this.size ? this.spawn() : undefined);
      if (!thread) return;
      const task = this.waiting.shift()!;
      task.attempts++;
      thread.task = task;
      // Referenced only while busy: an idle pool never keeps the process alive,
      // a pending hash does.
      thread.worker.ref();
      thread.worker.postMessage({ id: task.id, ...task.job });
    }
  }

  private spawn(): Thread {
    const thread: Thread = { worker: new Worker(WORKER_URL) };
    thread.worker.unref();
    thread.worker.on('message', (reply: PasswordReply) => this.settle(thread, reply));
    thread.worker.on('error', (err) => void (thread.error = err));
    thread.worker.on('exit', (code) => this.lose(thread, code));
    this.threads.add(thread);
    return thread;
  }

  private settle(thread: Thread, reply: PasswordReply): void {
    const task = thread.task;
    if (!task || task.id !== reply.id) return;
    thread.task = undefined;
    thread.worker.unref();
    if ('error' in reply) task.reject(Object.assign(new Error(reply.error.message), { name: reply.error.name }));
    else task.resolve(reply.value);
    this.dispatch();
  }

  private lose(thread: Thread, code: number): void {
    if (!this.threads.delete(thread)) return; // closed: its task was failed there
    this.lostThreads++;
    const task = thread.task;
    if (task && task.attempts < MAX_ATTEMPTS) this.waiting.unshift(task);
    else if (task) {
      const why = thread.error ? `: ${thread.error.message}` : '';
      task.reject(new Error(`password worker exited with code ${code}${why}`, { cause: thread.error }));
    }
    this.dispatch();
  }
}

/** PASSWORD_HASH_WORKERS threads, or the calling thread when it is 0. */
export function createPasswordHasher(workers: number, opts: Omit<PasswordPoolOptions, 'size'> = {}): PasswordHasher {
  return workers === 0 ? inlineHasher : new PasswordWorkerPool({ ...opts, size: workers });
}

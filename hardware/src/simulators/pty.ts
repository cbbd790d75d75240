import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A connected pair of pseudo-terminals made by socat (Debian package `socat`):
 * whatever is written to one end is read from the other, through the same tty layer
 * a USB serial scanner uses. stop() is the "unplug": both ends vanish; start() again
 * recreates them under the same paths.
 */
export class PtyPair {
  #proc: ChildProcess | undefined;
  #exited: Promise<void> | undefined;

  private constructor(
    readonly a: string,
    readonly b: string,
  ) {}

  static async create(opts: { dir?: string; names?: [string, string] } = {}): Promise<PtyPair> {
    const dir = opts.dir ?? (await mkdtemp(join(tmpdir(), 'ticketgate-pty-')));
    const [na, nb] = opts.names ?? ['scanner', 'device'];
    const pair = new PtyPair(join(dir, na), join(dir, nb));
    await pair.start();
    return pair;
  }

  get running(): boolean {
    return this.#proc !== undefined;
  }

  async start(timeoutMs = 5_000): Promise<void> {
    if (this.#proc) return;
    const proc = spawn('socat', [`pty,raw,echo=0,link=${this.a}`, `pty,raw,echo=0,link=${this.b}`], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    proc.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    this.#proc = proc;
    this.#exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    const spawnError = new Promise<never>((_, reject) =>
      proc.once('error', (err: NodeJS.ErrnoException) =>
        reject(err.code === 'ENOENT' ? new Error('socat not found: install it (Debian/Ubuntu: apt-get install socat)') : err),
      ),
    );
    spawnError.catch(() => {});
    const deadline = Date.now() + timeoutMs;
    try {
      while (!(existsSync(this.a) && existsSync(this.b))) {
        if (Date.now() > deadline || proc.exitCode !== null) {
          throw new Error(`socat did not create ${this.a} and ${this.b}: ${stderr.trim() || 'timed out'}`);
        }
        await Promise.race([new Promise((r) => setTimeout(r, 10)), spawnError]);
      }
    } catch (err) {
      // A socat that never started has no 'exit' to wait for.
      if (proc.pid === undefined) this.#proc = undefined;
      else await this.stop();
      throw err;
    }
  }

  async stop(): Promise<void> {
    const proc = this.#proc;
    this.#proc = undefined;
    if (!proc) return;
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
    await this.#exited;
    // socat removes its links on SIGTERM; wait until it has so a restart cannot race it.
    const deadline = Date.now() + 2_000;
    while ((existsSync(this.a) || existsSync(this.b)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  }
}

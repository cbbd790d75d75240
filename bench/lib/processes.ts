import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** A TypeScript module of bench/lib run as a child process (tsx), with an IPC channel. */
export function forkScript(name: string, env: Record<string, string> = {}): ChildProcess {
  const file = fileURLToPath(new URL(`./${name}`, import.meta.url));
  return fork(file, [], {
    execArgv: ['--import', 'tsx', ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [])],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
}

export interface Instance {
  url: string;
  stop(): Promise<void>;
}

/** Starts a server instance in its own process (instance.ts) and waits for its URL. */
export async function startInstance(databaseUrl: string, env: Record<string, string> = {}): Promise<Instance> {
  const child = forkScript('instance.ts', { DATABASE_URL: databaseUrl, NODE_ENV: 'test', ...env });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /LISTENING (\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`server instance exited (${code}) before listening`)));
  });
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** The child side of forkScript: waits for one job over IPC, runs it, sends the report back and exits. */
export function answerOneJob<J, R>(run: (job: J) => Promise<R>): void {
  process.once('message', (job: J) => {
    run(job).then(
      (report) => process.send!(report, () => process.exit(0)),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  });
}

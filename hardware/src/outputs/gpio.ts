import { spawn } from 'node:child_process';
import { SwitchedOutput, type SwitchedOutputOptions } from './output.js';

/**
 * Linux GPIO through the character device, driven by libgpiod's `gpioset`
 * (Debian package `gpiod`). The sysfs GPIO interface is deprecated; the chardev
 * releases a line when the process holding it exits, which is what we want on a
 * crash, and is why a hold needs a long-running gpioset.
 *
 * libgpiod v1 (Debian 12): gpioset [opts] <chip> <offset>=<value>
 * libgpiod v2 (Debian 13): gpioset [opts] -c <chip> <line>=<value>
 */
export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunningCommand {
  /** Resolves when the process has exited. */
  exited: Promise<CommandResult>;
  /** Resolves once the process has started (or rejects if it could not). */
  started: Promise<void>;
  kill(signal?: NodeJS.Signals): void;
}

/** Injectable so tests can check the command lines without GPIO hardware. */
export interface CommandRunner {
  run(cmd: string, args: string[]): Promise<CommandResult>;
  spawn(cmd: string, args: string[]): RunningCommand;
}

export const nodeCommandRunner: CommandRunner = {
  run(cmd, args) {
    return this.spawn(cmd, args).exited;
  },
  spawn(cmd, args) {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const started = new Promise<void>((resolve, reject) => {
      child.once('spawn', () => resolve());
      child.once('error', reject);
    });
    const exited = new Promise<CommandResult>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (code) => resolve({ code, stdout, stderr }));
    });
    started.catch(() => {});
    exited.catch(() => {});
    return { started, exited, kill: (sig = 'SIGTERM') => void child.kill(sig) };
  },
};

export type GpiodVersion = 1 | 2;

export interface GpioOutputOptions extends SwitchedOutputOptions {
  id?: string;
  /** gpiochip name, number or path, e.g. 'gpiochip0'. */
  chip: string;
  /** Line offset (or, with libgpiod v2, a line name). */
  line: number | string;
  activeLow?: boolean;
  /** 'auto' asks `gpioset --version` once. */
  gpiod?: GpiodVersion | 'auto';
  runner?: CommandRunner;
  command?: string;
}

export const GPIOD_MISSING = "'gpioset' not found: install the libgpiod tools (Debian/Ubuntu: apt-get install gpiod)";

export class GpioOutput extends SwitchedOutput {
  readonly kind = 'gpio';
  readonly #opts: GpioOutputOptions;
  readonly #runner: CommandRunner;
  readonly #cmd: string;
  #version: Promise<GpiodVersion> | undefined;
  #holder: RunningCommand | undefined;

  constructor(opts: GpioOutputOptions) {
    // The line is not ours until we request it; whatever it does before is the
    // board's default, so we start from "unknown" and never touch it unasked.
    super(opts.id ?? `gpio:${opts.chip}:${opts.line}`, opts, 'unknown');
    this.#opts = opts;
    this.#runner = opts.runner ?? nodeCommandRunner;
    this.#cmd = opts.command ?? 'gpioset';
    if (opts.gpiod === 1 || opts.gpiod === 2) this.#version = Promise.resolve(opts.gpiod);
  }

  version(): Promise<GpiodVersion> {
    this.#version ??= this.#exec(['--version']).then((r) => (/v?2\.\d/.test(r.stdout) ? 2 : 1));
    return this.#version;
  }

  /** The argument list for setting the line, optionally for a bounded time. */
  async argsFor(value: 0 | 1, mode: { pulseMs?: number; hold?: boolean } = {}): Promise<string[]> {
    const v = await this.version();
    const { chip, line } = this.#opts;
    const args: string[] = [];
    if (v === 1) {
      if (this.#opts.activeLow) args.push('--active-low');
      if (mode.pulseMs !== undefined) args.push('--mode=time', `--usec=${Math.round(mode.pulseMs * 1000)}`);
      else if (mode.hold) args.push('--mode=signal');
      args.push(chip, `${line}=${value}`);
    } else {
      if (this.#opts.activeLow) args.push('--active-low');
      args.push('--chip', chip);
      // v2 keeps running by default; '-t <ms>,0' toggles once then exits, '-t 0'
      // exits straight after setting.
      if (mode.pulseMs !== undefined) args.push('--toggle', `${Math.round(mode.pulseMs)}ms,0`);
      else if (!mode.hold) args.push('--toggle', '0');
      args.push(`${line}=${value}`);
    }
    return args;
  }

  protected override async pulseSwitch(ms: number): Promise<void> {
    // One gpioset call whose own timer ends the pulse: if the gate dies mid-pulse,
    // the line is still released on time.
    this.setState('unknown');
    this.setState('on');
    try {
      await this.#check(await this.#exec(await this.argsFor(1, { pulseMs: ms })));
    } finally {
      await this.setOff();
    }
  }

  protected async switchOn(): Promise<void> {
    await this.#stopHolder();
    const holder = this.#runner.spawn(this.#cmd, await this.argsFor(1, { hold: true }));
    try {
      await holder.started;
    } catch (err) {
      throw this.#spawnError(err);
    }
    // gpioset exiting right away means it could not request the line.
    const early = await Promise.race([holder.exited, new Promise<null>((r) => setTimeout(() => r(null), 50))]);
    if (early) {
      this.#check(early);
      throw new Error(`gpioset exited while holding the line (code ${early.code})`);
    }
    this.#holder = holder;
  }

  protected async switchOff(): Promise<void> {
    await this.#stopHolder();
    await this.#check(await this.#exec(await this.argsFor(0)));
  }

  protected async dispose(): Promise<void> {
    await this.#stopHolder();
  }

  async #stopHolder(): Promise<void> {
    const h = this.#holder;
    this.#holder = undefined;
    if (!h) return;
    h.kill('SIGTERM');
    await h.exited.catch(() => undefined);
  }

  async #exec(args: string[]): Promise<CommandResult> {
    try {
      return await this.#runner.run(this.#cmd, args);
    } catch (err) {
      throw this.#spawnError(err);
    }
  }

  #check(r: CommandResult): CommandResult {
    if (r.code !== 0) throw new Error(`gpioset failed (code ${r.code}): ${r.stderr.trim() || r.stdout.trim()}`);
    return r;
  }

  #spawnError(err: unknown): Error {
    if ((err as { code?: string }).code === 'ENOENT') return new Error(GPIOD_MISSING, { cause: err });
    return err instanceof Error ? err : new Error(String(err));
  }
}

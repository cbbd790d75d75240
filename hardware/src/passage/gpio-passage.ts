import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { BasePassageSensor } from './sensor.js';

/** A long-running command whose output lines are read as they come; injectable so tests need no GPIO hardware. */
export type LineSpawner = (
  cmd: string,
  args: string[],
  onLine: (line: string) => void,
  onExit: (message: string) => void,
) => { kill(): void };

export const nodeLineSpawner: LineSpawner = (cmd, args, onLine, onExit) => {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  createInterface({ input: child.stdout }).on('line', onLine);
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-500)));
  child.once('error', (err) => onExit(err.message));
  child.once('close', (code) => onExit(`exited with ${code}${stderr ? `: ${stderr.trim()}` : ''}`));
  return { kill: () => void child.kill('SIGTERM') };
};

export interface GpioPassageOptions {
  id?: string;
  chip?: string;
  line: number | string;
  /** The input goes low on a passage (an optical sensor pulling the line down). */
  activeLow?: boolean;
  /** libgpiod major version of `gpiomon` (Debian 12: 1, Debian 13: 2). */
  gpiod?: 1 | 2;
  spawner?: LineSpawner;
}

/**
 * A GPIO input through libgpiod's `gpiomon`, which prints one line per edge:
 * each active edge is a passage. The chardev interface, like the GPIO output.
 */
export class GpioPassageSensor extends BasePassageSensor {
  readonly kind = 'gpio';
  private running: { kill(): void } | null = null;
  private closing = false;

  constructor(private readonly opts: GpioPassageOptions) {
    super(opts.id ?? `passage-gpio:${opts.chip ?? 'gpiochip0'}:${opts.line}`);
  }

  /** The gpiomon command line for one active edge per event. */
  commandLine(): string[] {
    const chip = this.opts.chip ?? 'gpiochip0';
    const edge = this.opts.activeLow ? 'falling' : 'rising';
    return (this.opts.gpiod ?? 2) === 1
      ? [`--${edge}-edge`, chip, String(this.opts.line)]
      : ['-e', edge, '-c', chip, String(this.opts.line)];
  }

  start(): Promise<void> {
    this.closing = false;
    this.running = (this.opts.spawner ?? nodeLineSpawner)(
      'gpiomon',
      this.commandLine(),
      (line) => {
        if (line.trim()) this.passed();
      },
      (message) => {
        if (!this.closing) this.problem(`gpiomon ${message}`);
      },
    );
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.closing = true;
    this.running?.kill();
    this.running = null;
    return Promise.resolve();
  }
}

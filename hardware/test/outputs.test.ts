import { afterEach, describe, expect, it } from 'vitest';
import { GPIOD_MISSING, GpioOutput, type CommandResult, type CommandRunner, type RunningCommand } from '../src/outputs/gpio.js';
import { SerialBytesOutput, SerialRelayOutput, relayCommand } from '../src/outputs/serial-output.js';
import { defaultSerialPortFactory, type SerialPortFactory } from '../src/serial/port.js';
import { PtyPair } from '../src/simulators/pty.js';
import { RelayBoardSimulator } from '../src/simulators/relay-board.js';
import { sleep, waitFor } from './helpers.js';

const ON = Buffer.from('a00101a2', 'hex');
const OFF = Buffer.from('a00100a1', 'hex');

describe('relay command bytes', () => {
  it('matches the A0 family: A0 <ch> <state> <sum>', () => {
    expect(Buffer.from(relayCommand(1, true))).toEqual(ON);
    expect(Buffer.from(relayCommand(1, false))).toEqual(OFF);
    expect(Buffer.from(relayCommand(2, true)).toString('hex')).toBe('a00201a3');
    expect(Buffer.from(relayCommand(8, false)).toString('hex')).toBe('a00800a8');
    expect(() => relayCommand(0, true)).toThrow(RangeError);
  });
});

describe('USB relay board over a pty', () => {
  let pair: PtyPair | undefined;
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c().catch(() => {});
    await pair?.stop();
    pair = undefined;
  });

  async function setup(opts: { releaseOnOpen?: boolean; channel?: number } = {}) {
    pair = await PtyPair.create({ names: ['gate', 'relay'] });
    const board = new RelayBoardSimulator(pair.b);
    await board.open();
    const relay = new SerialRelayOutput({ path: pair.a, ...opts });
    cleanups.push(
      () => board.close(),
      () => relay.close(),
    );
    await relay.ready();
    return { board, relay };
  }

  it('pulse(200) sends exactly ON, then OFF about 200 ms later, and nothing else', async () => {
    const { board, relay } = await setup({ releaseOnOpen: false });
    await sleep(100);
    expect(board.received()).toEqual(Buffer.alloc(0)); // opening the port fires nothing
    const t0 = Date.now();
    await relay.pulse(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(195);
    await sleep(300); // anything stray would have arrived by now
    expect(board.received()).toEqual(Buffer.concat([ON, OFF]));
    const [on, off] = board.frames();
    expect(on).toMatchObject({ channel: 1, on: true });
    expect(off).toMatchObject({ channel: 1, on: false });
    expect((off?.at ?? 0) - (on?.at ?? 0)).toBeGreaterThanOrEqual(190);
    expect((off?.at ?? 0) - (on?.at ?? 0)).toBeLessThan(600);
    await relay.close();
    await sleep(50);
    // Already known off: closing sends nothing more.
    expect(board.received()).toEqual(Buffer.concat([ON, OFF]));
  });

  it('default configuration: one OFF at open (safe state after a crash), then pulse() = ON, OFF', async () => {
    const { board, relay } = await setup();
    await waitFor(() => board.received().length === 4);
    expect(board.received()).toEqual(OFF);
    await relay.pulse(); // default 200 ms
    await sleep(100);
    expect(board.received()).toEqual(Buffer.concat([OFF, ON, OFF]));
    expect(board.frames().filter((f) => f.on)).toHaveLength(1);
  });

  it('queues pulses (one admission each), hold/release, and close() switches off a held relay', async () => {
    const { board, relay } = await setup({ releaseOnOpen: false, channel: 2 });
    await Promise.all([relay.pulse(50), relay.pulse(50)]);
    await waitFor(() => board.received().length === 16);
    expect(board.frames().map((f) => f.on)).toEqual([true, false, true, false]);
    await relay.hold();
    await relay.pulse(50); // already open: no extra toggling
    expect(relay.state()).toBe('on');
    await relay.close();
    await sleep(50);
    expect(board.frames().map((f) => `${f.channel}:${f.on}`)).toEqual(['2:true', '2:false', '2:true', '2:false', '2:true', '2:false']);
    await expect(relay.pulse()).rejects.toThrow(/closed/);
  });

  it('a relay lost while held open is switched off as soon as it is back', async () => {
    pair = await PtyPair.create({ names: ['gate', 'relay'] });
    const board = new RelayBoardSimulator(pair.b);
    await board.open();
    // The board must be listening before the gate reaches it again (opening a port
    // flushes its input), so "plugged back in" is when this factory lets opens through.
    let present = true;
    const portFactory: SerialPortFactory = (s) => {
      if (!present) throw Object.assign(new Error(`ENOENT: no such file or directory, open '${s.path}'`), { code: 'ENOENT' });
      return defaultSerialPortFactory(s);
    };
    const relay = new SerialRelayOutput({ path: pair.a, releaseOnOpen: false, reconnect: { initialMs: 20, maxMs: 50 }, portFactory });
    cleanups.push(() => relay.close());
    await relay.hold();
    await waitFor(() => board.received().length === 4);
    present = false;
    await board.close();
    await pair.stop(); // unplugged while on
    await sleep(100);
    await pair.start();
    const board2 = new RelayBoardSimulator(pair.b);
    await board2.open();
    cleanups.push(() => board2.close());
    present = true;
    await waitFor(() => board2.received().length >= 4, 3_000, 'release after replug');
    expect(board2.received()).toEqual(OFF);
    expect(relay.state()).toBe('off');
  });

  it('refuses absurd pulse lengths without touching the relay', async () => {
    const { board, relay } = await setup({ releaseOnOpen: false });
    await expect(relay.pulse(0)).rejects.toThrow(RangeError);
    await expect(relay.pulse(60_000)).rejects.toThrow(RangeError);
    await expect(relay.pulse(Number.NaN)).rejects.toThrow(RangeError);
    await sleep(50);
    expect(board.received().length).toBe(0);
  });

  it('generic serial-bytes output writes the configured bytes', async () => {
    pair = await PtyPair.create();
    const board = new RelayBoardSimulator(pair.b);
    await board.open();
    const out = new SerialBytesOutput({
      path: pair.a,
      onBytes: Buffer.from('ff0101', 'hex'),
      offBytes: Buffer.from('ff0100', 'hex'),
      releaseOnOpen: false,
    });
    cleanups.push(
      () => board.close(),
      () => out.close(),
    );
    await out.pulse(30);
    await sleep(50);
    expect(board.received().toString('hex')).toBe('ff0101ff0100');
  });

  it('a missing port makes pulse() reject with a clear message; it works once the port exists', async () => {
    pair = await PtyPair.create({ names: ['gate', 'relay'] });
    await pair.stop();
    const relay = new SerialRelayOutput({ path: pair.a, releaseOnOpen: false });
    const problems: string[] = [];
    relay.on('problem', (p) => problems.push(p));
    cleanups.push(() => relay.close());
    await expect(relay.pulse(20)).rejects.toThrow(/not present/);
    await pair.start();
    const board = new RelayBoardSimulator(pair.b);
    await board.open();
    cleanups.push(() => board.close());
    await relay.pulse(20);
    await sleep(50);
    expect(board.received()).toEqual(Buffer.concat([ON, OFF]));
  });
});

class FakeRunner implements CommandRunner {
  calls: string[] = [];
  holders: { args: string[]; killed: boolean }[] = [];
  constructor(
    private readonly versionOut = 'gpioset (libgpiod) v1.6.3',
    private readonly fail?: NodeJS.ErrnoException,
  ) {}
  async run(cmd: string, args: string[]): Promise<CommandResult> {
    if (this.fail) throw this.fail;
    this.calls.push([cmd, ...args].join(' '));
    if (args[0] === '--version') return { code: 0, stdout: this.versionOut, stderr: '' };
    return { code: 0, stdout: '', stderr: '' };
  }
  spawn(cmd: string, args: string[]): RunningCommand {
    this.calls.push(`spawn ${[cmd, ...args].join(' ')}`);
    const h = { args, killed: false };
    this.holders.push(h);
    let resolveExit: (r: CommandResult) => void = () => {};
    const exited = new Promise<CommandResult>((r) => (resolveExit = r));
    return {
      started: Promise.resolve(),
      exited,
      kill: () => {
        h.killed = true;
        resolveExit({ code: 0, stdout: '', stderr: '' });
      },
    };
  }
}

describe('GPIO output (libgpiod tools)', () => {
  it('libgpiod v1: pulse(200) is one bounded gpioset, then an explicit low', async () => {
    const runner = new FakeRunner();
    const gpio = new GpioOutput({ chip: 'gpiochip0', line: 17, runner });
    await gpio.pulse(200);
    expect(runner.calls).toEqual(['gpioset --version', 'gpioset --mode=time --usec=200000 gpiochip0 17=1', 'gpioset gpiochip0 17=0']);
    expect(gpio.state()).toBe('off');
  });

  it('libgpiod v2: toggles back itself after the pulse; active-low is passed through', async () => {
    const runner = new FakeRunner('gpioset (libgpiod) v2.1');
    const gpio = new GpioOutput({ chip: 'gpiochip1', line: 'RELAY1', activeLow: true, runner });
    await gpio.pulse();
    expect(runner.calls).toEqual([
      'gpioset --version',
      'gpioset --active-low --chip gpiochip1 --toggle 200ms,0 RELAY1=1',
      'gpioset --active-low --chip gpiochip1 --toggle 0 RELAY1=0',
    ]);
  });

  it('hold keeps a gpioset running; release stops it and drives the line low', async () => {
    const runner = new FakeRunner();
    const gpio = new GpioOutput({ chip: 'gpiochip0', line: 4, gpiod: 1, runner });
    await gpio.hold();
    expect(runner.calls).toEqual(['spawn gpioset --mode=signal gpiochip0 4=1']);
    expect(gpio.state()).toBe('on');
    await gpio.release();
    expect(runner.holders[0]?.killed).toBe(true);
    expect(runner.calls.at(-1)).toBe('gpioset gpiochip0 4=0');
    expect(gpio.state()).toBe('off');
  });

  it('never touches the line before a command, and close() of an untouched output only releases', async () => {
    const runner = new FakeRunner();
    const gpio = new GpioOutput({ chip: 'gpiochip0', line: 4, gpiod: 2, runner });
    await sleep(20);
    expect(runner.calls).toEqual([]);
    await gpio.close();
    expect(runner.calls).toEqual(['gpioset --chip gpiochip0 --toggle 0 4=0']);
  });

  it('says which Debian package to install when gpioset is missing', async () => {
    const err = Object.assign(new Error('spawn gpioset ENOENT'), { code: 'ENOENT' });
    const gpio = new GpioOutput({ chip: 'gpiochip0', line: 4, gpiod: 1, runner: new FakeRunner(undefined, err) });
    await expect(gpio.pulse()).rejects.toThrow(GPIOD_MISSING);
    expect(gpio.state()).toBe('unknown');
  });
});

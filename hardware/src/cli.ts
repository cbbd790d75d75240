import { readFile } from 'node:fs/promises';
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { parseHardwareConfig, type HardwareConfig, type HardwareConfigInput } from './config.js';
import { classifyHidDevice, createNodeHidBackend, hex4, type HidBackend } from './hid/backend.js';
import { openOutput, startScanners, type HardwareDeps } from './factory.js';
import { SerialBytesOutput } from './outputs/serial-output.js';
import { errorMessage, type Scan } from './scanner.js';
import { listSerialPorts, type SerialListing } from './serial/list.js';
import { PtyPair } from './simulators/pty.js';
import { SerialScannerSimulator } from './simulators/serial-scanner.js';

const USAGE = `TicketGate hardware tool

  npm run hardware -- list [--json]
      Serial ports and HID devices, with vendor:product ids and what they look like.

  npm run hardware -- listen [--config gate.json] [--json]
        [--serial PATH [--baud 9600] [--terminator CR|LF|CRLF|TAB|timeout] [--strip-aim]]
        [--hid-pos VID:PID|PATH] [--keyboard VID:PID|PATH [--layout us|uk|de|fr]] [--hid-driver hidraw|libusb]
      Prints every scan as it arrives, and scanner status changes on stderr. Ctrl+C ends.

  npm run hardware -- pulse [--config gate.json] [--relay PATH [--channel 1]] [--gpio CHIP:LINE]
        [--ms 200] [--count 1] [--hold SECONDS]
      Fires the turnstile output: tests the relay wiring.

  npm run hardware -- simulate --port PATH [--baud 9600] [--text TEXT] [--count 1] [--every 1000]
        [--chunking whole|byte] [--suffix CR|LF|CRLF|TAB]
      Plays a serial scanner on PATH (e.g. one end of a socat pty pair).

  npm run hardware -- demo
      Creates a pty pair, plays a scanner on one end and listens on the other.
`;

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Resolves when the user asks to stop (Ctrl+C); tests resolve it themselves. */
  interrupted: () => Promise<void>;
}

const defaultIo: CliIo = {
  out: (l) => process.stdout.write(`${l}\n`),
  err: (l) => process.stderr.write(`${l}\n`),
  interrupted: () =>
    new Promise((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    }),
};

export interface CliDeps extends HardwareDeps {
  listSerial?: () => Promise<SerialListing>;
}

export async function main(argv: string[], io: CliIo = defaultIo, deps: CliDeps = {}): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'list':
        return await list(rest, io, deps);
      case 'listen':
        return await listen(rest, io, deps);
      case 'pulse':
        return await pulse(rest, io, deps);
      case 'simulate':
        return await simulate(rest, io);
      case 'demo':
        return await demo(io);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.out(USAGE);
        return command === undefined ? 2 : 0;
      default:
        io.err(`unknown command '${command}'\n\n${USAGE}`);
        return 2;
    }
  } catch (err) {
    io.err(`error: ${errorMessage(err)}`);
    return 1;
  }
}

async function list(args: string[], io: CliIo, deps: CliDeps): Promise<number> {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean', default: false }, 'hid-driver': { type: 'string' } } });
  const serial = await (deps.listSerial ?? (() => listSerialPorts()))();
  const hidBackend: HidBackend = deps.hidBackend ?? createNodeHidBackend(values['hid-driver'] === 'libusb' ? 'libusb' : 'hidraw');
  let hid: Awaited<ReturnType<HidBackend['devices']>> = [];
  let hidError: string | undefined;
  try {
    hid = await hidBackend.devices();
  } catch (err) {
    hidError = errorMessage(err);
  }
  if (values.json) {
    io.out(
      JSON.stringify({
        serial: serial.ports,
        serialWarnings: serial.warnings,
        hid: hid.map((d) => ({ ...d, kind: classifyHidDevice(d) })),
        ...(hidError ? { hidError } : {}),
      }),
    );
    return 0;
  }
  io.out('Serial ports:');
  if (serial.ports.length === 0) io.out('  (none)');
  for (const p of serial.ports) {
    const ids = p.vendorId ? ` ${p.vendorId}:${p.productId ?? '????'}` : '';
    const what = [p.manufacturer, p.product].filter(Boolean).join(' ');
    io.out(`  ${p.path}${ids}${what ? `  ${what}` : ''}${p.serialNumber ? `  s/n ${p.serialNumber}` : ''}`);
  }
  for (const w of serial.warnings) io.err(`warning: ${w}`);
  io.out('HID devices:');
  if (hidError) io.err(`warning: ${hidError}`);
  else if (hid.length === 0) io.out('  (none — on Linux the gate user needs read access to /dev/hidraw*)');
  for (const d of hid) {
    const kind = classifyHidDevice(d);
    const label = kind === 'hid-pos' ? '  [HID POS scanner]' : kind === 'keyboard' ? '  [keyboard / keyboard-mode scanner]' : '';
    const page = d.usagePage !== undefined ? ` page 0x${d.usagePage.toString(16)}` : '';
    io.out(
      `  ${d.path ?? '?'} ${hex4(d.vendorId)}:${hex4(d.productId)}${page}  ${[d.manufacturer, d.product].filter(Boolean).join(' ')}${label}`,
    );
  }
  return 0;
}

async function loadConfig(path: string | undefined): Promise<HardwareConfigInput | undefined> {
  if (!path) return undefined;
  return JSON.parse(await readFile(path, 'utf8')) as HardwareConfigInput;
}

function parseUsbSelector(s: string): { path: string } | { vendorId: string; productId: string } {
  const m = /^([0-9a-f]{4}):([0-9a-f]{4})$/i.exec(s);
  return m ? { vendorId: m[1] as string, productId: m[2] as string } : { path: s };
}

function formatScan(s: Scan): string {
  return `${new Date(s.at).toISOString()}  ${s.sourceId}  ${s.symbology ?? '-'}  ${s.text}`;
}

async function listen(args: string[], io: CliIo, deps: CliDeps): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      config: { type: 'string' },
      json: { type: 'boolean', default: false },
      serial: { type: 'string', multiple: true },
      baud: { type: 'string' },
      terminator: { type: 'string' },
      'strip-aim': { type: 'boolean', default: false },
      'hid-pos': { type: 'string', multiple: true },
      keyboard: { type: 'string', multiple: true },
      layout: { type: 'string' },
      'hid-driver': { type: 'string' },
    },
  });
  const fromFile = await loadConfig(values.config);
  const scanners: unknown[] = [...(fromFile?.scanners ?? [])];
  for (const path of values.serial ?? []) {
    scanners.push({
      type: 'serial',
      path,
      ...(values.baud ? { baudRate: Number(values.baud) } : {}),
      ...(values.terminator ? { terminator: values.terminator } : {}),
      stripAim: values['strip-aim'],
    });
  }
  for (const sel of values['hid-pos'] ?? []) scanners.push({ type: 'hid-pos', ...parseUsbSelector(sel), stripAim: values['strip-aim'] });
  for (const sel of values.keyboard ?? [])
    scanners.push({ type: 'hid-keyboard', ...parseUsbSelector(sel), ...(values.layout ? { layout: values.layout } : {}) });
  if (scanners.length === 0) {
    io.err('nothing to listen to: give --config, --serial, --hid-pos or --keyboard (see `list`)');
    return 2;
  }
  const config = parseHardwareConfig({ ...fromFile, scanners, ...(values['hid-driver'] ? { hidDriver: values['hid-driver'] } : {}) });
  const merged = await startScanners(config, deps);
  merged.on('scan', (s) => io.out(values.json ? JSON.stringify(s) : formatScan(s)));
  merged.on('problem', (m) => io.err(`problem: ${m}`));
  for (const s of merged.scanners) {
    io.err(`${s.id}: ${s.status()}${s.statusDetail() ? ` (${s.statusDetail()})` : ''}`);
    s.on('status', (st, detail) => io.err(`${s.id}: ${st}${detail ? ` (${detail})` : ''}`));
  }
  io.err('listening; Ctrl+C to stop');
  await io.interrupted();
  await merged.stop();
  return 0;
}

async function pulse(args: string[], io: CliIo, deps: CliDeps): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      config: { type: 'string' },
      relay: { type: 'string' },
      channel: { type: 'string' },
      gpio: { type: 'string' },
      ms: { type: 'string' },
      count: { type: 'string' },
      hold: { type: 'string' },
    },
  });
  let outputCfg: unknown = (await loadConfig(values.config))?.output;
  if (values.relay)
    outputCfg = { type: 'relay-serial', path: values.relay, ...(values.channel ? { channel: Number(values.channel) } : {}) };
  if (values.gpio) {
    const [chip, line] = values.gpio.split(':');
    outputCfg = { type: 'gpio', chip, line: /^\d+$/.test(line ?? '') ? Number(line) : line };
  }
  if (!outputCfg) {
    io.err('no output: give --relay PATH, --gpio CHIP:LINE or a --config with an "output"');
    return 2;
  }
  const config: HardwareConfig = parseHardwareConfig({ output: outputCfg });
  const output = openOutput(config.output, deps);
  if (!output) {
    io.err('the configured output is "none"');
    return 2;
  }
  output.on('problem', (m) => io.err(`problem: ${m}`));
  try {
    if (output instanceof SerialBytesOutput) await output.ready();
    if (values.hold) {
      const secs = Number(values.hold);
      io.out(`${output.id}: holding open for ${secs} s`);
      await output.hold();
      await Promise.race([new Promise((r) => setTimeout(r, secs * 1000)), io.interrupted()]);
      await output.release();
    } else {
      const count = Number(values.count ?? 1);
      const ms = values.ms ? Number(values.ms) : undefined;
      for (let i = 0; i < count; i++) {
        const t0 = Date.now();
        await output.pulse(ms);
        io.out(`${output.id}: pulse ${i + 1}/${count} done in ${Date.now() - t0} ms`);
        if (i + 1 < count) await new Promise((r) => setTimeout(r, 500));
      }
    }
  } finally {
    await output.close();
  }
  return 0;
}

function suffixOf(s: string | undefined): string {
  switch ((s ?? 'CR').toUpperCase()) {
    case 'LF':
      return '\n';
    case 'CRLF':
      return '\r\n';
    case 'TAB':
      return '\t';
    default:
      return '\r';
  }
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
function randomBase32(n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += BASE32[Math.floor(Math.random() * 32)];
  return s;
}

async function simulate(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string' },
      baud: { type: 'string' },
      text: { type: 'string' },
      count: { type: 'string' },
      every: { type: 'string' },
      chunking: { type: 'string' },
      suffix: { type: 'string' },
    },
  });
  if (!values.port) {
    io.err('simulate needs --port PATH');
    return 2;
  }
  const sim = new SerialScannerSimulator(values.port, values.baud ? Number(values.baud) : 9600);
  await sim.open();
  try {
    const count = Number(values.count ?? 1);
    for (let i = 0; i < count; i++) {
      const text = values.text ?? randomBase32(260);
      await sim.send(text, { suffix: suffixOf(values.suffix), chunking: values.chunking === 'byte' ? 'byte' : 'whole' });
      io.out(`sent ${text.length} characters`);
      if (i + 1 < count) await new Promise((r) => setTimeout(r, Number(values.every ?? 1000)));
    }
  } finally {
    await sim.close();
  }
  return 0;
}

async function demo(io: CliIo): Promise<number> {
  const pair = await PtyPair.create();
  io.err(`pty pair: gate reads ${pair.a}, simulated scanner writes ${pair.b}`);
  const merged = await startScanners(parseHardwareConfig({ scanners: [{ type: 'serial', path: pair.a, id: 'demo-scanner' }] }));
  merged.on('scan', (s) => io.out(formatScan(s)));
  const sim = new SerialScannerSimulator(pair.b);
  await sim.open();
  const timer = setInterval(() => void sim.send(randomBase32(260), { chunking: 'byte', gapMs: 1 }).catch(() => {}), 2000);
  io.err('a scan every 2 s; Ctrl+C to stop');
  await io.interrupted();
  clearInterval(timer);
  await sim.close();
  await merged.stop();
  await pair.stop();
  return 0;
}

function invokedDirectly(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(entry)).href;
  } catch {
    return false;
  }
}

if (invokedDirectly()) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`${errorMessage(err)}\n`);
      process.exit(1);
    },
  );
}

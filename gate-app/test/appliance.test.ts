// The Debian appliance's systemd units (installers/linux/appliance) as systemd
// itself reads them (systemd-analyze verify), their command lines against the
// gate CLI's options, and the wait-for-gate helper the kiosk unit runs first.
import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const UNITS = join(import.meta.dirname, '../../installers/linux/appliance');
const UNIT_FILES = ['ticketgate-gate.service', 'ticketgate-kiosk.service'];

function systemdAnalyze(): string | null {
  for (const p of ['/usr/bin/systemd-analyze', '/bin/systemd-analyze']) if (existsSync(p)) return p;
  return null;
}
const ANALYZE = systemdAnalyze();
if (!ANALYZE) console.warn('appliance: systemd-analyze not installed (apt-get install systemd): unit verification skipped');

/** verify's complaints; a command this machine lacks (cage on a build box) is reported, not failed. */
async function verify(dir: string): Promise<{ code: number; problems: string[]; absent: string[] }> {
  const files = UNIT_FILES.map((f) => join(dir, f));
  const r = await run(ANALYZE!, ['verify', '--man=no', ...files]).then(
    (ok) => ({ code: 0, out: ok.stdout + ok.stderr }),
    (err: { code: number; stdout: string; stderr: string }) => ({ code: err.code, out: err.stdout + err.stderr }),
  );
  const lines = r.out.split('\n').filter((l) => l.trim());
  const missing = /Command (\S+) is not executable: No such file or directory/;
  const absent = lines.flatMap((l) => (missing.exec(l) && !existsSync(missing.exec(l)![1]!) ? [missing.exec(l)![1]!] : []));
  // Those missing binaries also make verify report the unit as failing to load; that line is theirs.
  const problems = lines.filter((l) => !missing.test(l) && !(absent.length && /Unit .* (failed|has a bad unit file setting)/.test(l)));
  return { code: r.code, problems, absent };
}

describe.skipIf(!ANALYZE)('appliance units (systemd-analyze verify)', () => {
  const work = mkdtempSync(join(tmpdir(), 'tg-units-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('are valid units for systemd', async () => {
    const r = await verify(UNITS);
    if (r.absent.length) console.warn(`appliance: not installed here, not checked: ${r.absent.join(', ')}`);
    expect(r.problems).toEqual([]);
    if (!r.absent.length) expect(r.code).toBe(0);
  });

  it('fails on a broken unit (the check can fail)', async () => {
    for (const f of UNIT_FILES) copyFileSync(join(UNITS, f), join(work, f));
    const broken = readFileSync(join(work, UNIT_FILES[0]!), 'utf8').replace('Type=simple', 'Type=simpel');
    writeFileSync(join(work, UNIT_FILES[0]!), broken);
    const r = await verify(work);
    expect(r.problems.join('\n')).toMatch(/Failed to parse service type.*simpel/);
  });
});

describe('appliance command lines', () => {
  const usage = execFileSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '../src/cli.ts'), '--help'], {
    encoding: 'utf8',
  });

  it('start the engine with options the gate CLI has, bound to 127.0.0.1, and point chromium at that address', () => {
    const gate = readFileSync(join(UNITS, 'ticketgate-gate.service'), 'utf8');
    const exec = /^ExecStart=(.*)$/m.exec(gate)![1]!;
    const flags = [...exec.matchAll(/ (--[a-z-]+)/g)].map((m) => m[1]!);
    expect(flags).toEqual(expect.arrayContaining(['--data', '--http', '--server']));
    for (const f of flags.filter((f) => f !== '--enable-source-maps')) expect(usage).toContain(`${f} `);
    const http = /--http (\S+)/.exec(exec)![1]!;
    expect(http).toMatch(/^127\.0\.0\.1:\d+$/);
    const kiosk = readFileSync(join(UNITS, 'ticketgate-kiosk.service'), 'utf8');
    expect(kiosk).toContain(`--app=http://${http}/`);
    expect(kiosk).toContain(`http://${http}/status`);
    expect(JSON.parse(readFileSync(join(UNITS, 'chromium-policy.json'), 'utf8'))).toMatchObject({
      VideoCaptureAllowedUrls: [`http://${http}`],
    });
  });

  it('wait-for-gate returns once the gate answers, and fails when it never does', async () => {
    const helper = join(UNITS, 'wait-for-gate.mjs');
    const server = createServer((_req, res) => res.end('{}'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    await expect(run(process.execPath, [helper, `http://127.0.0.1:${port}/status`, '10'])).resolves.toBeDefined();
    await new Promise((r) => server.close(r));
    await expect(run(process.execPath, [helper, `http://127.0.0.1:${port}/status`, '1'])).rejects.toMatchObject({ code: 1 });
  });
});

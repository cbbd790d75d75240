import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HidPosScanner } from '../src/hid/hid-scanner.js';
import { PosAssembler, decodePosReport } from '../src/hid/pos-decoder.js';
import { FakeHidBackend } from '../src/simulators/fake-hid.js';
import { POS_FAMILIES, POS_FIXTURES, buildAim64Reports, buildMicroscanReports, report64 } from '../src/simulators/hid-fixtures.js';
import { BASE32, collectProblems, collectScans, sleep, ticketText, waitFor, waitForStatus } from './helpers.js';

function assemble(layout: 'aim64' | 'microscan', reports: Uint8Array[]) {
  const asm = new PosAssembler(layout);
  const events = reports.flatMap((r) => asm.push(r));
  return { events, asm };
}

describe('HID POS fixtures', () => {
  for (const fx of POS_FIXTURES) {
    it(fx.name, () => {
      const { events } = assemble(POS_FAMILIES[fx.family].layout, fx.reports);
      if ('problem' in fx.expect) {
        expect(events).toHaveLength(1);
        expect(events[0]?.type).toBe('problem');
        expect(events[0]?.type === 'problem' && events[0].message).toMatch(fx.expect.problem);
      } else {
        expect(events).toHaveLength(1);
        const ev = events[0];
        if (ev?.type !== 'scan') throw new Error(`expected a scan, got ${JSON.stringify(ev)}`);
        expect(Buffer.from(ev.data).toString('utf8')).toBe(fx.expect.text);
        expect(ev.symbology).toBe(fx.expect.symbology);
        expect(ev.aim).toBe(fx.expect.aim);
      }
    });
  }

  it('a fixture family exists for each documented layout, each with a citation', () => {
    const layouts = new Set(POS_FIXTURES.map((f) => POS_FAMILIES[f.family].layout));
    expect(layouts).toEqual(new Set(['aim64', 'microscan']));
    for (const fam of Object.values(POS_FAMILIES)) expect(fam.source.length).toBeGreaterThan(40);
  });
});

describe('decodePosReport', () => {
  it('reads the fields of a single report', () => {
    const r = decodePosReport(report64('02 03 5d4331 414243', { 61: 0x6a, 63: 0x01 }));
    expect(r).toEqual({
      kind: 'data',
      report: { data: Uint8Array.from([0x41, 0x42, 0x43]), more: true, aim: ']C1', symbology: 'code128', vendorSymbology: 0x6a },
    });
  });

  it('accepts a report whose ID byte was stripped by the HID stack', () => {
    const full = report64('02 03 5d5131 414243');
    const r = decodePosReport(full.subarray(1));
    expect(r.kind === 'data' && Buffer.from(r.report.data).toString()).toBe('ABC');
  });

  it('ignores other report IDs (command replies, status) without calling them malformed', () => {
    expect(decodePosReport(report64('04 01 00')).kind).toBe('ignored');
  });

  it('never throws, whatever the bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), fc.constantFrom('aim64' as const, 'microscan' as const), (bytes, layout) => {
        const r = decodePosReport(bytes, layout);
        expect(['data', 'ignored', 'malformed']).toContain(r.kind);
        const asm = new PosAssembler(layout);
        expect(() => asm.push(bytes)).not.toThrow();
      }),
    );
  });

  it('property: any Base32 text round-trips through both report layouts', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...BASE32), minLength: 1, maxLength: 400 }), (text) => {
        const a = assemble('aim64', buildAim64Reports(text, { aim: ']Q1' })).events;
        expect(a).toEqual([{ type: 'scan', data: Uint8Array.from(Buffer.from(text)), aim: ']Q1', symbology: 'qr' }]);
        // Microscan: a message of exactly 62·n bytes only ends on the timeout.
        const { events, asm } = assemble('microscan', buildMicroscanReports(text));
        const all = [...events, ...asm.timeout()];
        expect(all).toEqual([{ type: 'scan', data: Uint8Array.from(Buffer.from(text)) }]);
      }),
    );
  });

  it('a malformed report in the middle of a scan drops the whole scan', () => {
    const parts = buildAim64Reports(ticketText(5), { aim: ']Q1' });
    expect(parts).toHaveLength(5);
    const asm = new PosAssembler('aim64');
    const events = [parts[0], parts[1], report64('02 ff'), parts[3], parts[4]].flatMap((r) => asm.push(r as Uint8Array));
    // The last two reports alone would form a "scan" of the tail: it must not be emitted.
    expect(events.filter((e) => e.type === 'scan')).toEqual([]);
    expect(events.map((e) => e.type === 'problem' && e.message)).toEqual([
      expect.stringMatching(/partial scan dropped/),
      expect.stringMatching(/dropped the rest/),
    ]);
    // The next scan decodes normally.
    const next = buildAim64Reports('NEXT234', { aim: ']Q1' }).flatMap((r) => asm.push(r));
    expect(next).toMatchObject([{ type: 'scan', aim: ']Q1' }]);
  });

  it('a pause after a malformed report ends the resync: a following single-report scan is kept', () => {
    const asm = new PosAssembler('aim64');
    expect(asm.push(report64('02 ff'))[0]?.type).toBe('problem');
    expect(asm.pending).toBe(true);
    asm.timeout();
    expect(asm.push(buildAim64Reports('AFTERPAUSE')[0] as Uint8Array)).toMatchObject([{ type: 'scan' }]);
  });

  it('a continuation that never comes is reported on timeout, not emitted', () => {
    const parts = buildAim64Reports(ticketText(6));
    const asm = new PosAssembler('aim64');
    expect(asm.push(parts[0] as Uint8Array)).toEqual([]);
    expect(asm.timeout()).toEqual([{ type: 'problem', message: expect.stringMatching(/never came/) }]);
  });
});

describe('HidPosScanner with a fake node-hid', () => {
  const HONEYWELL = { path: '/dev/hidraw3', vendorId: 0x0c2e, productId: 0x0b8f, usagePage: 0x8c, usage: 0x02, product: 'Voyager 1400g' };
  const HONEYWELL_KBD = { path: '/dev/hidraw2', vendorId: 0x0c2e, productId: 0x0b8f, usagePage: 0x01, usage: 0x06 };

  it('selects the POS collection by vendor/product id, decodes multi-report scans, and reconnects', async () => {
    const hid = new FakeHidBackend([HONEYWELL_KBD, HONEYWELL]);
    const scanner = new HidPosScanner({
      selector: { vendorId: 0x0c2e, productId: 0x0b8f },
      backend: hid,
      reconnect: { initialMs: 10, maxMs: 20 },
    });
    const scans = collectScans(scanner);
    const problems = collectProblems(scanner);
    await scanner.start();
    expect(scanner.status()).toBe('connected');
    expect(hid.isOpen('/dev/hidraw3')).toBe(true);
    expect(hid.isOpen('/dev/hidraw2')).toBe(false);

    const t1 = ticketText(11);
    for (const r of buildAim64Reports(t1, { aim: ']Q1', vendorSymbology: 0x73 })) hid.send('/dev/hidraw3', r);
    expect(scans).toMatchObject([{ text: t1, symbology: 'qr', aim: ']Q1', sourceId: scanner.id }]);

    hid.send('/dev/hidraw3', report64('02 39'));
    expect(problems).toEqual([expect.stringMatching(/malformed HID POS report/)]);

    hid.unplug('/dev/hidraw3');
    await waitForStatus(scanner, 'disconnected');
    await sleep(60);
    // Replugged on a different hidraw node: selection by ids finds it again.
    hid.plug({ ...HONEYWELL, path: '/dev/hidraw7' });
    await waitForStatus(scanner, 'connected');
    const t2 = ticketText(12);
    for (const r of buildAim64Reports(t2, { aim: ']Q1' })) hid.send('/dev/hidraw7', r);
    expect(scans.map((s) => s.text)).toEqual([t1, t2]);
    await scanner.stop();
    expect(hid.isOpen('/dev/hidraw7')).toBe(false);
  });

  it('selects by path and reports a missing device as disconnected', async () => {
    const hid = new FakeHidBackend([]);
    const scanner = new HidPosScanner({ selector: { path: '/dev/hidraw9' }, backend: hid, reconnect: { initialMs: 10, maxMs: 20 } });
    await scanner.start();
    expect(scanner.status()).toBe('disconnected');
    expect(scanner.statusDetail()).toMatch(/no HID device matching \/dev\/hidraw9/);
    hid.plug({ path: '/dev/hidraw9', vendorId: 1, productId: 2 });
    await waitFor(() => scanner.status() === 'connected');
    await scanner.stop();
  });

  it('reports a backend that cannot load node-hid as an error status, not an exception', async () => {
    const broken = {
      devices: () => Promise.reject(new Error('libudev.so.1: cannot open shared object file')),
      open: () => Promise.reject(new Error('x')),
    };
    const scanner = new HidPosScanner({ selector: { vendorId: 1 }, backend: broken, reconnect: { initialMs: 10, maxMs: 20 } });
    await scanner.start();
    expect(scanner.status()).toBe('error');
    expect(scanner.statusDetail()).toMatch(/libudev/);
    await scanner.stop();
  });

  it('drops a scan whose continuation never arrives (timeout)', async () => {
    const hid = new FakeHidBackend([HONEYWELL]);
    const scanner = new HidPosScanner({ selector: { vendorId: 0x0c2e }, backend: hid, continuationTimeoutMs: 30 });
    const scans = collectScans(scanner);
    const problems = collectProblems(scanner);
    await scanner.start();
    hid.send('/dev/hidraw3', buildAim64Reports(ticketText(3))[0] as Uint8Array);
    await waitFor(() => problems.length === 1);
    expect(scans).toEqual([]);
    await scanner.stop();
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HidKeyboardScanner } from '../src/hid/hid-scanner.js';
import { KeyboardReportDecoder } from '../src/hid/keyboard-decoder.js';
import { LAYOUT_IDS, type LayoutId } from '../src/hid/layouts.js';
import { FakeHidBackend } from '../src/simulators/fake-hid.js';
import { encodeKeyboardReports } from '../src/simulators/keyboard.js';
import { BASE32, collectProblems, collectScans, ticketText, waitFor } from './helpers.js';

function decodeAll(reports: Uint8Array[], layout: LayoutId): string {
  const d = new KeyboardReportDecoder({ layout });
  return reports.map((r) => d.decode(r).text).join('');
}

const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const UP = hex('00 00 00 00 00 00 00 00');

describe('boot keyboard report decoding', () => {
  it('the same reports read differently under US and DE where the layouts differ (y/z)', () => {
    // Hand-written reports: Shift+Y usage (0x1C), then z usage (0x1D), then '2', Enter.
    const reports = [
      hex('02 00 1c 00 00 00 00 00'),
      UP,
      hex('00 00 1d 00 00 00 00 00'),
      UP,
      hex('00 00 1f 00 00 00 00 00'),
      UP,
      hex('00 00 28 00 00 00 00 00'),
      UP,
    ];
    expect(decodeAll(reports, 'us')).toBe('Yz2\r');
    expect(decodeAll(reports, 'uk')).toBe('Yz2\r');
    expect(decodeAll(reports, 'de')).toBe('Zy2\r');
    // AZERTY: unshifted digit row is punctuation, w/z swapped.
    expect(decodeAll(reports, 'fr')).toBe('Yw\u00e9\r');
  });

  it('US and DE differ on punctuation too, and Shift+2 differs between US and UK', () => {
    const shift2 = [hex('02 00 1f 00 00 00 00 00'), UP];
    expect(decodeAll(shift2, 'us')).toBe('@');
    expect(decodeAll(shift2, 'uk')).toBe('"');
    expect(decodeAll(shift2, 'de')).toBe('"');
    expect(decodeAll(shift2, 'fr')).toBe('2');
    const dash = [hex('00 00 38 00 00 00 00 00'), UP];
    expect(decodeAll(dash, 'us')).toBe('/');
    expect(decodeAll(dash, 'de')).toBe('-');
  });

  it('a ticket credential (Base32) decodes identically under every layout', () => {
    const text = ticketText(42);
    const seen = LAYOUT_IDS.map((l) => decodeAll(encodeKeyboardReports(text, l, { terminator: null }), l));
    expect(seen).toEqual(LAYOUT_IDS.map(() => text));
  });

  it('property: any Base32 text survives encode-under-L / decode-under-L for every layout L', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...BASE32), minLength: 1, maxLength: 300 }),
        fc.constantFrom(...LAYOUT_IDS),
        (text, layout) => {
          expect(decodeAll(encodeKeyboardReports(text, layout), layout)).toBe(`${text}\r`);
        },
      ),
    );
  });

  it('property: every character a layout can type round-trips (printable ASCII where available)', () => {
    for (const layout of LAYOUT_IDS) {
      const typable = [...' !"#$%&\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~'].filter(
        (c) => {
          try {
            encodeKeyboardReports(c, layout);
            return true;
          } catch {
            return false;
          }
        },
      );
      expect(typable.length).toBeGreaterThan(90);
      fc.assert(
        fc.property(fc.string({ unit: fc.constantFrom(...typable), maxLength: 60 }), (text) => {
          expect(decodeAll(encodeKeyboardReports(text, layout, { terminator: null }), layout)).toBe(text);
        }),
        { numRuns: 50 },
      );
    }
  });

  it('counts a held key once and a re-pressed key again', () => {
    const d = new KeyboardReportDecoder({ layout: 'us' });
    const a = hex('00 00 04 00 00 00 00 00');
    expect([a, a, a].map((r) => d.decode(r).text).join('')).toBe('a');
    // Rollover: 'b' pressed while 'a' still down.
    expect(d.decode(hex('00 00 04 05 00 00 00 00')).text).toBe('b');
    expect(d.decode(UP).text).toBe('');
    expect(d.decode(a).text).toBe('a');
  });

  it('AltGr and dead keys follow the Windows layouts', () => {
    // DE: AltGr+q = @, dead ^ then e = ê, dead ^ then space = ^
    const altgrQ = [hex('40 00 14 00 00 00 00 00'), UP];
    expect(decodeAll(altgrQ, 'de')).toBe('@');
    expect(decodeAll([hex('05 00 14 00 00 00 00 00'), UP], 'de')).toBe('@'); // Ctrl+Alt = AltGr
    const caret = [hex('00 00 35 00 00 00 00 00'), UP];
    expect(decodeAll([...caret, hex('00 00 08 00 00 00 00 00'), UP], 'de')).toBe('ê');
    expect(decodeAll([...caret, hex('00 00 2c 00 00 00 00 00'), UP], 'de')).toBe('^');
    expect(decodeAll([...caret, hex('00 00 05 00 00 00 00 00'), UP], 'de')).toBe('^b');
  });

  it('understands Ctrl+letter control characters and ALT+keypad codes', () => {
    // Ctrl+M is CR: scanners in "control character" mode send the suffix like this.
    expect(decodeAll([hex('01 00 10 00 00 00 00 00'), UP], 'us')).toBe('\r');
    // Alt held, keypad 6 5, Alt released → 'A' regardless of layout.
    const alt65 = [
      hex('04 00 5e 00 00 00 00 00'),
      hex('04 00 00 00 00 00 00 00'),
      hex('04 00 5d 00 00 00 00 00'),
      hex('04 00 00 00 00 00 00 00'),
      UP,
    ];
    for (const l of LAYOUT_IDS) expect(decodeAll(alt65, l)).toBe('A');
  });

  it('caps lock pressed by the scanner inverts letters only', () => {
    const caps = [hex('00 00 39 00 00 00 00 00'), UP];
    const a1 = [hex('00 00 04 00 00 00 00 00'), UP, hex('00 00 1e 00 00 00 00 00'), UP];
    expect(decodeAll([...caps, ...a1], 'us')).toBe('A1');
  });

  it('handles report IDs and reports malformed input without throwing', () => {
    const withId = encodeKeyboardReports('AB', 'us', { reportId: 1 });
    expect(decodeAll(withId, 'us')).toBe('AB\r');
    const fixed = new KeyboardReportDecoder({ layout: 'us', reportId: 1 });
    expect(fixed.decode(hex('03 00 00 04 00 00 00 00 00'))).toEqual({ text: '', problems: [] });
    const d = new KeyboardReportDecoder({ layout: 'us' });
    expect(d.decode(hex('00 00 04')).problems).toEqual([expect.stringMatching(/too short/)]);
    expect(d.decode(hex('00 00 01 01 01 01 01 01')).problems).toEqual([expect.stringMatching(/rollover/)]);
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 12 }), { maxLength: 30 }), fc.constantFrom(...LAYOUT_IDS), (reports, l) => {
        const dec = new KeyboardReportDecoder({ layout: l });
        for (const r of reports) expect(() => dec.decode(r)).not.toThrow();
      }),
    );
  });
});

describe('HidKeyboardScanner with a fake node-hid', () => {
  it('frames scans on Enter under the configured layout and ignores focus entirely', async () => {
    const hid = new FakeHidBackend([{ path: '/dev/hidraw1', vendorId: 0x05e0, productId: 0x1200, usagePage: 1, usage: 6 }]);
    const scanner = new HidKeyboardScanner({ selector: { vendorId: 0x05e0 }, backend: hid, layout: 'de' });
    const scans = collectScans(scanner);
    await scanner.start();
    const t = ticketText(77);
    for (const r of encodeKeyboardReports(t, 'de')) hid.send('/dev/hidraw1', r);
    for (const r of encodeKeyboardReports('ZYZY2345', 'de')) hid.send('/dev/hidraw1', r);
    expect(scans.map((s) => s.text)).toEqual([t, 'ZYZY2345']);
    await scanner.stop();
  });

  it("terminator 'none' ends a scan after the inter-character timeout; partial fragments are dropped otherwise", async () => {
    const hid = new FakeHidBackend([{ path: '/dev/hidraw1', vendorId: 1, productId: 2 }]);
    const a = new HidKeyboardScanner({
      id: 'a',
      selector: { path: '/dev/hidraw1' },
      backend: hid,
      layout: 'us',
      terminator: 'none',
      interCharTimeoutMs: 20,
    });
    const scans = collectScans(a);
    await a.start();
    for (const r of encodeKeyboardReports('NOSUFFIX', 'us', { terminator: null })) hid.send('/dev/hidraw1', r);
    await waitFor(() => scans.length === 1);
    expect(scans[0]?.text).toBe('NOSUFFIX');
    await a.stop();

    const b = new HidKeyboardScanner({ id: 'b', selector: { path: '/dev/hidraw1' }, backend: hid, layout: 'us', partialTimeoutMs: 20 });
    const problems = collectProblems(b);
    await b.start();
    for (const r of encodeKeyboardReports('HALF', 'us', { terminator: null })) hid.send('/dev/hidraw1', r);
    await waitFor(() => problems.length === 1);
    expect(problems[0]).toMatch(/dropped 4/);
    await b.stop();
  });
});

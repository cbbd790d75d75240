import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WedgeDecoder, decodeWedge, wedgeScans, type WedgeKeyEvent } from '../src/wedge/decoder.js';
import { humanTyping, keyEvents, scannerBurst } from '../src/simulators/keyboard.js';
import { BASE32 } from './helpers.js';

const base32 = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...BASE32), minLength: min, maxLength: max });
const anyText = (min: number, max: number) =>
  fc.string({
    unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,-@'),
    minLength: min,
    maxLength: max,
  });

function typedKeys(out: ReturnType<typeof decodeWedge>): string {
  return out.flatMap((o) => (o.type === 'typed' ? o.keys.map((k) => k.key) : [])).join('');
}

describe('keyboard-wedge decoder', () => {
  it('property: typing at 150 ms per key is never taken for a scan, Enter or not', () => {
    fc.assert(
      fc.property(anyText(1, 300), fc.boolean(), fc.integer({ min: 0, max: 1e9 }), (text, enter, start) => {
        const events = humanTyping(text, { start, terminator: enter ? 'Enter' : null });
        const out = decodeWedge(events);
        expect(out.filter((o) => o.type === 'scan')).toEqual([]);
        // Nothing a person types is lost: every key comes back as typed, in order.
        expect(typedKeys(out)).toBe(text + (enter ? 'Enter' : ''));
      }),
    );
  });

  it('property: human typing with jitter (100–400 ms per key) is never a scan', () => {
    fc.assert(
      fc.property(anyText(1, 120), fc.array(fc.integer({ min: 100, max: 400 }), { minLength: 1 }), (text, gaps) => {
        const events = keyEvents(text, { gapMs: (i) => gaps[i % gaps.length] as number, terminator: 'Enter' });
        expect(wedgeScans(events)).toEqual([]);
        expect(wedgeScans(events, { terminator: null })).toEqual([]);
      }),
    );
  });

  it('property: bursts at 5–20 ms per key are scans, exactly the text sent', () => {
    fc.assert(
      fc.property(base32(8, 400), fc.array(fc.integer({ min: 5, max: 20 }), { minLength: 1 }), (text, gaps) => {
        const events = scannerBurst(text, { gapMs: (i) => gaps[i % gaps.length] as number });
        const out = decodeWedge(events);
        expect(out).toEqual([{ type: 'scan', text, startedAt: 0, endedAt: expect.any(Number) }]);
      }),
    );
  });

  it('property: a scan in the middle of human typing comes out whole, and the typing is kept', () => {
    fc.assert(
      fc.property(
        anyText(0, 20),
        base32(8, 300),
        anyText(0, 20),
        fc.integer({ min: 5, max: 20 }),
        fc.integer({ min: 150, max: 2000 }),
        (before, scan, after, burstGap, pause) => {
          const a = humanTyping(before, { start: 1_000 });
          const tA = (a.at(-1)?.at ?? 1_000) + pause;
          const s = scannerBurst(scan, { start: tA, gapMs: burstGap });
          const tS = (s.at(-1)?.at ?? tA) + pause;
          const b = humanTyping(after, { start: tS });
          const out = decodeWedge([...a, ...s, ...b]);
          expect(out.filter((o) => o.type === 'scan').map((o) => o.type === 'scan' && o.text)).toEqual([scan]);
          expect(typedKeys(out)).toBe(before + after);
        },
      ),
    );
  });

  it('property: shift key events between characters do not break a burst', () => {
    fc.assert(
      fc.property(base32(8, 200), (text) => {
        const events: WedgeKeyEvent[] = [];
        let t = 0;
        for (const ch of text) {
          events.push({ key: 'Shift', at: (t += 3) });
          events.push({ key: ch, at: (t += 3) });
        }
        events.push({ key: 'Enter', at: (t += 6) });
        expect(wedgeScans(events)).toEqual([text]);
      }),
    );
  });

  it('short fast bursts (a person hitting two keys at once) are typing, not scans', () => {
    const out = decodeWedge(scannerBurst('AB', { gapMs: 5 }));
    expect(out).toEqual([
      {
        type: 'typed',
        keys: [expect.objectContaining({ key: 'A' }), expect.objectContaining({ key: 'B' }), expect.objectContaining({ key: 'Enter' })],
      },
    ]);
  });

  it('a burst broken by a long pause is not a scan', () => {
    const first = scannerBurst('ABCDEFGH', { terminator: null, gapMs: 8 });
    const second = scannerBurst('IJKLMNOP', { start: 1_000, gapMs: 8 });
    expect(wedgeScans([...first, ...second])).toEqual(['IJKLMNOP']);
  });

  it('scanners without a suffix: the idle timeout ends the scan', () => {
    const events = scannerBurst('ABCDEFGHIJ', { terminator: null, gapMs: 10 });
    expect(wedgeScans(events, { terminator: null })).toEqual(['ABCDEFGHIJ']);
    // …and with the default Enter terminator the same burst is typing.
    expect(wedgeScans(events)).toEqual([]);
  });

  it('stateful use: deadline() says when to call tick()', () => {
    const dec = new WedgeDecoder({ terminator: null, idleTimeoutMs: 100 });
    expect(dec.deadline()).toBeNull();
    for (const ev of scannerBurst('ABCDEFGHIJ', { terminator: null, gapMs: 10 })) expect(dec.push(ev)).toEqual([]);
    expect(dec.deadline()).toBe(190);
    expect(dec.tick(150)).toEqual([]);
    expect(dec.tick(191)).toEqual([{ type: 'scan', text: 'ABCDEFGHIJ', startedAt: 0, endedAt: 90 }]);
    expect(dec.pending).toBe(0);
  });

  it('named keys other than the terminator end a burst as typing', () => {
    const events: WedgeKeyEvent[] = [...scannerBurst('ABCDEFGH', { terminator: null }), { key: 'Backspace', at: 70 }];
    const out = decodeWedge(events);
    expect(out).toHaveLength(1);
    expect(out[0]?.type).toBe('typed');
  });

  it('the wedge module imports nothing (bundles into the renderer as-is)', async () => {
    const { readFile } = await import('node:fs/promises');
    const src = await readFile(new URL('../src/wedge/decoder.ts', import.meta.url), 'utf8');
    expect(src).not.toMatch(/^\s*import\s/m);
  });
});

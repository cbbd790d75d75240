import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stripAimPrefix, symbologyFromAim } from '../src/aim.js';
import { ScanFramer, trimControls } from '../src/serial/framer.js';
import { BASE32 } from './helpers.js';

const frames = (f: ScanFramer, chunks: string[]) => chunks.flatMap((c) => f.push(c)).flatMap((e) => (e.type === 'frame' ? [e.text] : []));

describe('ScanFramer', () => {
  it('joins scans split across chunks and splits merged ones (CR)', () => {
    const f = new ScanFramer({ terminator: 'CR' });
    expect(frames(f, ['ABC', 'DEF\rGH', 'I\rJKL\rMN'])).toEqual(['ABCDEF', 'GHI', 'JKL']);
    expect(f.pending).toBe(2);
  });

  it('tolerates a CRLF scanner on a CR configuration (LF is trimmed, not data)', () => {
    const f = new ScanFramer({ terminator: 'CR' });
    expect(frames(f, ['AAA\r\nBBB\r\n'])).toEqual(['AAA', 'BBB']);
  });

  it('CRLF: a CR at the end of one chunk and LF at the start of the next', () => {
    const f = new ScanFramer({ terminator: 'CRLF' });
    expect(frames(f, ['AAA\r', '\nBBB\r', '\n'])).toEqual(['AAA', 'BBB']);
  });

  it('keeps inner line breaks for LF-only and CRLF framing (multi-line codes)', () => {
    expect(frames(new ScanFramer({ terminator: 'CRLF' }), ['L1\nL2\r\n'])).toEqual(['L1\nL2']);
    expect(frames(new ScanFramer({ terminator: 'TAB' }), ['L1\r\nL2\t'])).toEqual(['L1\r\nL2']);
  });

  it("terminator 'none' only emits on flush()", () => {
    const f = new ScanFramer({ terminator: 'none' });
    expect(frames(f, ['ABC\r', 'DEF'])).toEqual([]);
    expect(f.flush()).toBe('ABC\rDEF');
    expect(f.flush()).toBeNull();
  });

  it('reports overflow instead of growing without bound', () => {
    const f = new ScanFramer({ terminator: 'CR', maxLength: 10 });
    expect(f.push('X'.repeat(11))).toEqual([{ type: 'overflow', length: 11 }]);
    expect(f.pending).toBe(0);
  });

  it('trims STX/ETX/NUL framing but not inner spaces', () => {
    expect(trimControls('\x02 A B \x03\x00')).toBe(' A B ');
  });

  it('property: any chunking of CR-terminated Base32 scans yields exactly those scans', () => {
    const scan = fc.string({ unit: fc.constantFrom(...BASE32), minLength: 1, maxLength: 300 });
    fc.assert(
      fc.property(
        fc.array(scan, { minLength: 1, maxLength: 8 }),
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1 }),
        (scans, cuts) => {
          const stream = scans.map((s) => `${s}\r`).join('');
          const chunks: string[] = [];
          for (let i = 0, c = 0; i < stream.length; c++) {
            const n = cuts[c % cuts.length] as number;
            chunks.push(stream.slice(i, i + n));
            i += n;
          }
          expect(frames(new ScanFramer({ terminator: 'CR' }), chunks)).toEqual(scans);
        },
      ),
    );
  });
});

describe('AIM identifiers', () => {
  it('strips ]Q1 and names the symbology', () => {
    expect(stripAimPrefix(']Q1ABC')).toEqual({ text: 'ABC', aim: ']Q1', symbology: 'qr' });
    expect(stripAimPrefix(']C0123')).toMatchObject({ text: '123', symbology: 'code128' });
    expect(stripAimPrefix(']d2X')).toMatchObject({ text: 'X', symbology: 'datamatrix' });
  });

  it('leaves text without a prefix alone', () => {
    expect(stripAimPrefix('ABC')).toEqual({ text: 'ABC' });
    expect(stripAimPrefix(']')).toEqual({ text: ']' });
    expect(symbologyFromAim('Q1')).toBeUndefined();
  });
});

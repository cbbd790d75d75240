import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { issueCredential } from '../src/index.js';
import { decodeQrPng, qrModesOf, qrVersionOf, renderQrPng, renderQrSvg } from '../src/qr-image.js';
import { claims, fixture } from './helpers.js';

let text: string;

beforeAll(async () => {
  const f = await fixture();
  text = issueCredential(claims({ hallCode: 'HALL-B12', generation: 0xffff_ffff }), f);
});

describe('credential QR', () => {
  it('is alphanumeric mode only and fits version 9 at level M (budget: ≤ 10)', () => {
    expect(text).toHaveLength(258);
    expect(qrModesOf(text)).toEqual(['Alphanumeric']);
    expect(qrVersionOf(text)).toBe(9);
    // Why upper case matters: the same text in lower case needs byte mode and a bigger code.
    expect(qrModesOf(text.toLowerCase())).toEqual(['Byte']);
    expect(qrVersionOf(text.toLowerCase())).toBeGreaterThan(10);
  });

  it('round-trips through PNG and @zxing/library at several scales', async () => {
    for (const scale of [2, 4, 8]) {
      const png = await renderQrPng(text, { scale });
      expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
      expect(decodeQrPng(png)).toBe(text);
    }
  });

  it('still decodes with a blotch over part of the symbol (level M error correction)', async () => {
    const scale = 4;
    const image = PNG.sync.read(await renderQrPng(text, { scale }));
    // 5×5 modules in the lower-right data area, away from the finder and alignment patterns.
    const x0 = (4 + 40) * scale;
    const y0 = (4 + 40) * scale;
    let erased = 0;
    for (let y = y0; y < y0 + 5 * scale; y++) {
      for (let x = x0; x < x0 + 5 * scale; x++) {
        const p = (y * image.width + x) * 4;
        if (image.data[p] === 0) erased++;
        image.data[p] = image.data[p + 1] = image.data[p + 2] = 255;
      }
    }
    expect(erased).toBeGreaterThan(0);
    expect(decodeQrPng(PNG.sync.write(image))).toBe(text);
  });

  it('renders SVG with the quiet zone (53 modules + 2 × 4)', async () => {
    const svg = await renderQrSvg(text);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('viewBox="0 0 61 61"');
  });

  it('returns null for images without a QR and for non-PNG bytes', () => {
    const blank = new PNG({ width: 120, height: 120 });
    blank.data.fill(255);
    expect(decodeQrPng(PNG.sync.write(blank))).toBeNull();
    expect(decodeQrPng(new Uint8Array([1, 2, 3]))).toBeNull();
    expect(decodeQrPng(new Uint8Array(0))).toBeNull();
  });
});

// QR rendering and decoding, kept out of the package root because it pulls in the
// image libraries; the gate's verifier path never needs them.
import { BinaryBitmap, DecodeHintType, HybridBinarizer, QRCodeReader, RGBLuminanceSource } from '@zxing/library';
import { PNG } from 'pngjs';
import QRCode from 'qrcode';

/**
 * Level M recovers ~15 % damage (cracked phone screens, glare) and still fits the
 * 258-character credential in version 9; Q or H would push it past version 10.
 */
const ERROR_CORRECTION = 'M' as const;
/** The four-module quiet zone the QR standard requires; cheap scanners fail without it. */
const MARGIN = 4;

export function qrVersionOf(text: string): number {
  return QRCode.create(text, { errorCorrectionLevel: ERROR_CORRECTION }).version;
}

/** Mode of each segment the encoder chose, e.g. ['Alphanumeric'] for a credential. */
export function qrModesOf(text: string): string[] {
  return QRCode.create(text, { errorCorrectionLevel: ERROR_CORRECTION }).segments.map((s) => s.mode.id);
}

export function renderQrPng(text: string, opts: { scale?: number } = {}): Promise<Buffer> {
  return QRCode.toBuffer(text, { type: 'png', errorCorrectionLevel: ERROR_CORRECTION, margin: MARGIN, scale: opts.scale ?? 4 });
}

export function renderQrSvg(text: string): Promise<string> {
  return QRCode.toString(text, { type: 'svg', errorCorrectionLevel: ERROR_CORRECTION, margin: MARGIN });
}

/** Luminance with alpha composited over white, as a screen or paper would show a transparent PNG. */
function luminance(png: PNG): Uint8ClampedArray {
  const { width, height, data } = png;
  const out = new Uint8ClampedArray(width * height);
  for (let i = 0, p = 0; i < out.length; i++, p += 4) {
    const y = (data[p]! * 299 + data[p + 1]! * 587 + data[p + 2]! * 114) / 1000;
    const a = data[p + 3]!;
    out[i] = (y * a + 255 * (255 - a)) / 255;
  }
  return out;
}

/** Text of the first QR found in a PNG, or null when there is none or the file is not a PNG. */
export function decodeQrPng(png: Uint8Array): string | null {
  let image: PNG;
  try {
    image = PNG.sync.read(Buffer.from(png.buffer, png.byteOffset, png.byteLength));
  } catch {
    return null;
  }
  const source = new RGBLuminanceSource(luminance(image), image.width, image.height);
  const reader = new QRCodeReader();
  // TRY_HARDER for photos and screenshots; PURE_BARCODE as a fallback for clean
  // renders whose finder patterns sit right at the edge.
  const attempts: Array<Map<DecodeHintType, unknown>> = [
    new Map<DecodeHintType, unknown>([[DecodeHintType.TRY_HARDER, true]]),
    new Map<DecodeHintType, unknown>([[DecodeHintType.PURE_BARCODE, true]]),
  ];
  for (const hints of attempts) {
    try {
      return reader.decode(new BinaryBitmap(new HybridBinarizer(source)), hints).getText();
    } catch {
      reader.reset();
    }
  }
  return null;
}

import QRCode from 'qrcode';
import { useEffect, useRef } from 'preact/hooks';

/** The four-module quiet zone the QR standard asks for. */
const MARGIN = 4;

/**
 * A ticket code as a large black-on-white QR with the standard four-module
 * quiet zone, drawn on a canvas at device resolution so a door scanner reads
 * it from a dim phone screen. Error correction M: the codes are Base32 (258
 * characters for the server's 60-second code, version 9; 426 for the phone's
 * device-bound code, version 13), which QR alphanumeric mode packs densely.
 */
export function QrCode({ text, size = 300, label }: { text: string; size?: number; label: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    if (!canvas) return;
    const scale = Math.max(1, Math.round(globalThis.devicePixelRatio || 1));
    // A whole number of device pixels per module, and the bitmap shown at exactly its
    // own size: a canvas resampled by a pixel or two blurs the modules of a dense code
    // (the 426-character device-bound one is version 13) past what a scanner reads.
    const modules = QRCode.create(text, { errorCorrectionLevel: 'M' }).modules.size + 2 * MARGIN;
    const width = modules * Math.max(1, Math.floor((size * scale) / modules));
    void QRCode.toCanvas(canvas, text, {
      errorCorrectionLevel: 'M',
      margin: MARGIN,
      width,
      color: { dark: '#000000', light: '#ffffff' },
    }).then(() => {
      canvas.style.width = `${width / scale}px`;
      canvas.style.height = `${width / scale}px`;
    });
  }, [text, size]);
  return <canvas ref={ref} class="qr" role="img" aria-label={label} width={size} height={size} />;
}

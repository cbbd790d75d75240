import QRCode from 'qrcode';
import { useEffect, useRef } from 'preact/hooks';

/**
 * A ticket code as a large black-on-white QR with the standard four-module
 * quiet zone, drawn on a canvas at device resolution so a door scanner reads
 * it from a dim phone screen. Error correction M: the credential is ~100
 * Base32 characters, which QR alphanumeric mode packs densely.
 */
export function QrCode({ text, size = 300, label }: { text: string; size?: number; label: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    if (!canvas) return;
    const scale = Math.max(1, Math.round(globalThis.devicePixelRatio || 1));
    void QRCode.toCanvas(canvas, text, {
      errorCorrectionLevel: 'M',
      margin: 4,
      width: size * scale,
      color: { dark: '#000000', light: '#ffffff' },
    }).then(() => {
      canvas.style.width = `${size}px`;
      canvas.style.height = `${size}px`;
    });
  }, [text, size]);
  return <canvas ref={ref} class="qr" role="img" aria-label={label} width={size} height={size} />;
}

// process: renderer
// Last-resort input: a webcam decoded in the page. Most gates have a scanner, so
// the camera stays off unless asked for (`?camera=1` or the Camera button).
import { BrowserQRCodeReader, ChecksumException, DecodeHintType, FormatException, NotFoundException } from '@zxing/library';

/** A ticket held up to the lens is decoded twice a second for as long as it stays there. */
export const REPEAT_WINDOW_MS = 3000;
/** Between failed attempts (no QR in view): enough for a kiosk, without pegging a core. */
const ATTEMPT_INTERVAL_MS = 100;
/** After a decode the library waits this long before the next frame. */
const AFTER_DECODE_MS = 500;

/**
 * Turns a stream of decodes into scans. The window slides: every sighting of a
 * code renews it, so a ticket held in front of the camera for ten seconds is one
 * scan, and it counts again only once it has been out of view for the window.
 * Several codes are remembered at once because the decoder may alternate between
 * two phones in the picture.
 */
export class RepeatFilter {
  private readonly seen = new Map<string, number>();

  constructor(private readonly windowMs = REPEAT_WINDOW_MS) {}

  accept(text: string, now: number): boolean {
    for (const [t, at] of this.seen) if (now - at >= this.windowMs) this.seen.delete(t);
    const fresh = !this.seen.has(text);
    this.seen.set(text, now);
    return fresh;
  }
}

export type CameraState = 'off' | 'starting' | 'on' | 'failed';

/** What the attendant reads when the camera cannot start (getUserMedia's DOMException names). */
export function cameraErrorMessage(err: unknown): string {
  const name = err instanceof Error ? err.name : '';
  switch (name) {
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'No camera found — use the scanner or type the code';
    case 'NotAllowedError':
    case 'SecurityError':
      return 'Camera permission denied — use the scanner or type the code';
    case 'NotReadableError':
    case 'AbortError':
      return 'Camera is busy or broken — use the scanner or type the code';
    default:
      return 'Camera unavailable — use the scanner or type the code';
  }
}

export interface CameraScannerOptions {
  video: HTMLVideoElement;
  onScan(text: string): void;
  onState(state: CameraState, message: string): void;
}

export class CameraScanner {
  private reader: BrowserQRCodeReader | null = null;
  private stream: MediaStream | null = null;
  /** Bumped by every start and stop, so a start that resolves after a stop gives its camera back. */
  private generation = 0;
  private readonly filter = new RepeatFilter();
  state: CameraState = 'off';

  constructor(private readonly opts: CameraScannerOptions) {}

  async start(): Promise<void> {
    if (this.state === 'on' || this.state === 'starting') return;
    const gen = ++this.generation;
    this.set('starting', 'Starting camera…');
    let stream: MediaStream;
    try {
      if (!navigator.mediaDevices?.getUserMedia) throw new DOMException('no media devices', 'NotFoundError');
      stream = await navigator.mediaDevices.getUserMedia({ audio: false, video: { facingMode: { ideal: 'environment' } } });
    } catch (err) {
      if (gen === this.generation) this.set('failed', cameraErrorMessage(err));
      return;
    }
    if (gen !== this.generation) {
      for (const t of stream.getTracks()) t.stop();
      return;
    }
    this.stream = stream;
    stream.getVideoTracks()[0]?.addEventListener('ended', () => {
      if (gen !== this.generation) return;
      this.release();
      this.set('failed', 'Camera disconnected — use the scanner or type the code');
    });

    const reader = new BrowserQRCodeReader(AFTER_DECODE_MS);
    reader.timeBetweenDecodingAttempts = ATTEMPT_INTERVAL_MS;
    reader.hints = new Map([[DecodeHintType.TRY_HARDER, true]]);
    this.reader = reader;
    const video = this.opts.video;
    video.muted = true;
    video.hidden = false;
    this.set('on', 'Camera on — hold the ticket up to it');
    try {
      await reader.decodeFromStream(stream, video, (result, err) => {
        if (gen !== this.generation) return;
        if (result) {
          const text = result.getText();
          if (this.filter.accept(text, performance.now())) this.opts.onScan(text);
        } else if (err && !isNothingInView(err)) {
          // The library ends its loop on any other error; say so instead of looking alive.
          this.release();
          this.set('failed', 'Camera stopped — toggle it off and on, or use the scanner');
        }
      });
    } catch (err) {
      if (gen !== this.generation) return;
      this.release();
      this.set('failed', cameraErrorMessage(err));
    }
  }

  stop(): void {
    this.generation++;
    this.release();
    this.set('off', '');
  }

  private release(): void {
    this.reader?.reset();
    this.reader = null;
    for (const t of this.stream?.getTracks() ?? []) t.stop();
    this.stream = null;
    this.opts.video.srcObject = null;
    this.opts.video.hidden = true;
  }

  private set(state: CameraState, message: string): void {
    this.state = state;
    this.opts.onState(state, message);
  }
}

/** The errors the library retries on: no QR in this frame, or one it could not read yet. */
function isNothingInView(err: Error): boolean {
  return err instanceof NotFoundException || err instanceof ChecksumException || err instanceof FormatException;
}

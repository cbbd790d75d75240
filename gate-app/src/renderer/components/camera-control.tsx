// process: renderer
import { useEffect, useRef, useState } from 'preact/hooks';
import { CameraScanner, type CameraState } from '../camera.js';

/** The footer's Camera button, preview and status line. */
export function CameraControl(props: { onScan(text: string): void; autoStart: boolean }) {
  const video = useRef<HTMLVideoElement>(null);
  const scanner = useRef<CameraScanner | null>(null);
  const onScan = useRef(props.onScan);
  onScan.current = props.onScan;
  const [state, setState] = useState<{ state: CameraState; message: string }>({ state: 'off', message: '' });

  useEffect(() => {
    const camera = new CameraScanner({
      video: video.current!,
      onScan: (text) => onScan.current(text),
      onState: (s, message) => setState({ state: s, message }),
    });
    scanner.current = camera;
    if (props.autoStart) void camera.start();
    return () => camera.stop();
    // Built once: a changed "camera at start" setting applies at the next start of the kiosk.
  }, []);

  const active = state.state === 'on' || state.state === 'starting';
  return (
    <div class="camera">
      <video id="camera-preview" ref={video} muted playsInline hidden />
      <button
        id="camera-toggle"
        type="button"
        aria-pressed={active ? 'true' : 'false'}
        onClick={() => {
          const camera = scanner.current!;
          if (camera.state === 'on' || camera.state === 'starting') camera.stop();
          else void camera.start();
        }}
      >
        Camera
      </button>
      <span id="camera-status" role="status" data-state={state.state}>
        {state.message}
      </span>
    </div>
  );
}

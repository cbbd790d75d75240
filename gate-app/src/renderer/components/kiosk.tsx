// process: renderer
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { parseEnrolmentText, type SoundClass } from '@ticketgate/ui';
import { GateApiError, TokenRefusedError, type GateClient, type GateStatus, type ScanLogEntry } from '../gate-client.js';
import type { KioskPrefs } from '../settings.js';
import type { VerdictSound } from '../sound.js';
import { Banners } from './banners.js';
import { CameraControl } from './camera-control.js';
import { DeviceScreen, deviceProblem, type EnrolState } from './device-screen.js';
import { RecentScans } from './recent-scans.js';
import { countsInWords, StatusBar } from './status-bar.js';
import { Supervisor } from './supervisor.js';
import { presentReply, VerdictScreen, type Shown } from './verdict-screen.js';

const POLL_MS = 2000;
const RECENT = 8;

export interface KioskProps {
  gate: GateClient;
  sound: VerdictSound;
  prefs: KioskPrefs;
  /** How long a verdict stays before the screen returns to READY. */
  verdictMs: number;
  /** A supervisor changed a setting: the entry keeps it (sound) and stores it. */
  onPrefs(prefs: KioskPrefs): void;
  /** Scans from the keyboard wedge reach the kiosk through this registration (see app.tsx). */
  onWedge(handler: (text: string) => void): void;
}

/** The whole kiosk screen: status, banners, verdict or device screen, last scans, inputs, supervisor. */
export function Kiosk(props: KioskProps) {
  const { gate } = props;
  const [status, setStatus] = useState<GateStatus | null>(null);
  const [reachable, setReachable] = useState(true);
  const [recent, setRecent] = useState<ScanLogEntry[]>([]);
  const [shown, setShown] = useState<Shown>({ kind: 'ready' });
  const [enrol, setEnrol] = useState<EnrolState>({ busy: false, error: null });
  const [prefs, setPrefs] = useState(props.prefs);
  const [supervisor, setSupervisor] = useState(false);
  const [now, setNow] = useState(Date.now());
  const reset = useRef<ReturnType<typeof setTimeout>>();
  const manual = useRef<HTMLInputElement>(null);
  const statusRef = useRef(status);
  statusRef.current = status;
  const zone = status?.time_zone ?? 'UTC';

  const poll = useCallback(async () => {
    try {
      const [s, r] = await Promise.all([gate.status(), gate.recentScans(RECENT)]);
      setStatus(s);
      setRecent(r);
      setReachable(true);
    } catch (err) {
      // The engine restarted with a new launch token: a fresh page carries it.
      if (err instanceof TokenRefusedError) location.reload();
      setReachable(false);
    }
    setNow(Date.now());
  }, [gate]);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout>;
    const loop = async () => {
      await poll();
      timer = setTimeout(() => void loop(), POLL_MS);
    };
    void loop();
    return () => clearTimeout(timer);
  }, [poll]);

  const doEnrol = useCallback(
    async (code: string, server: string | undefined) => {
      setEnrol({ busy: true, error: null });
      try {
        await gate.enrol({ code, ...(server ? { server_url: server } : {}) });
        setEnrol({ busy: false, error: null });
      } catch (err) {
        setEnrol({ busy: false, error: err instanceof GateApiError ? err.message : 'enrolment failed' });
      }
      await poll();
    },
    [gate, poll],
  );

  const submit = useCallback(
    async (text: string, source: string) => {
      // A gate without identity takes an enrolment QR or code from any input.
      const link = deviceProblem(statusRef.current) ? parseEnrolmentText(text) : null;
      if (link) return doEnrol(link.code, link.server);
      let next: Shown;
      let tone: SoundClass = 'refuse';
      try {
        const verdict = await gate.scan(text, source);
        next = { kind: 'verdict', verdict };
        tone = presentReply(verdict, statusRef.current?.time_zone ?? 'UTC').sound;
      } catch (err) {
        const notEnrolled = err instanceof GateApiError && err.code === 'NOT_ENROLLED';
        next = {
          kind: 'error',
          message: notEnrolled ? 'This gate is not enrolled and cannot check tickets' : 'Gate engine unreachable — scan again',
        };
      }
      setShown(next);
      props.sound.play(tone);
      clearTimeout(reset.current);
      reset.current = setTimeout(() => setShown({ kind: 'ready' }), props.verdictMs);
      void poll();
    },
    [gate, doEnrol, poll, props.sound, props.verdictMs],
  );

  useEffect(() => {
    props.onWedge((text) => {
      if (manual.current) manual.current.value = '';
      void submit(text, 'wedge');
    });
  }, [submit, props]);

  const changePrefs = (p: KioskPrefs) => {
    setPrefs(p);
    props.onPrefs(p);
  };

  const problem = deviceProblem(status);
  return (
    <div class="kiosk" data-status={!reachable ? 'unreachable' : status ? 'loaded' : 'waiting'}>
      <StatusBar status={status} reachable={reachable} />
      <Banners status={status} reachable={reachable} now={now} />
      <div class="middle">
        {problem && status && shown.kind === 'ready' ? (
          <DeviceScreen problem={problem} status={status} enrol={enrol} onEnrol={(c, s) => void doEnrol(c, s)} />
        ) : (
          <VerdictScreen shown={shown} timeZone={zone} />
        )}
        <RecentScans scans={recent} timeZone={zone} />
      </div>
      <footer class="bar bottom">
        <form
          id="manual"
          autocomplete="off"
          onSubmit={(e) => {
            e.preventDefault();
            const text = manual.current?.value.trim() ?? '';
            if (manual.current) manual.current.value = '';
            if (text) void submit(text, 'manual');
          }}
        >
          <input
            id="manual-input"
            ref={manual}
            name="payload"
            aria-label="Ticket code"
            placeholder="Type a ticket code"
            spellcheck={false}
          />
          <button type="submit">Check</button>
        </form>
        <CameraControl onScan={(text) => void submit(text, 'camera')} autoStart={prefs.cameraAtStart} />
        <div id="counts" class="counts">
          {status ? countsInWords(status.counts) : ''}
        </div>
        <button type="button" id="supervisor-open" onClick={() => setSupervisor(true)}>
          Supervisor
        </button>
      </footer>
      {supervisor ? (
        <Supervisor
          gate={gate}
          status={status}
          now={now}
          prefs={prefs}
          onPrefs={changePrefs}
          onTestSound={(k) => props.sound.play(k)}
          onClose={() => setSupervisor(false)}
        />
      ) : null}
    </div>
  );
}

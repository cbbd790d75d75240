// process: renderer
import { useState } from 'preact/hooks';
import { SCAN_RESULTS } from '@ticketgate/protocol';
import { clockWithZone, RESULT_IN_WORDS, sinceInWords, type SoundClass } from '@ticketgate/ui';
import { GateApiError, type GateClient, type GateStatus } from '../gate-client.js';
import type { kiosk } from '@ticketgate/protocol';
import type { KioskPrefs } from '../settings.js';

const PIN_MESSAGES: Partial<Record<GateApiError['code'], string>> = {
  PIN_REFUSED: 'Wrong PIN.',
  PIN_LOCKED: 'Too many wrong PINs — wait a minute.',
  NO_SUPERVISOR_PIN: 'No supervisor PIN is set on this gate.',
};

/** The supervisor's view, behind the PIN the engine checks: counts, scanners, relay test, settings. */
export function Supervisor(props: {
  gate: GateClient;
  status: GateStatus | null;
  now: number;
  prefs: KioskPrefs;
  onPrefs(prefs: KioskPrefs): void;
  onTestSound(kind: SoundClass): void;
  onClose(): void;
}) {
  const [pin, setPin] = useState('');
  const [unlocked, setUnlocked] = useState<kiosk.SupervisorReply | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [relay, setRelay] = useState<string | null>(null);

  const unlock = async (e: Event) => {
    e.preventDefault();
    try {
      setUnlocked(await props.gate.supervisorUnlock(pin));
      setMessage(null);
    } catch (err) {
      setPin('');
      setMessage(err instanceof GateApiError ? (PIN_MESSAGES[err.code] ?? err.message) : 'The gate engine does not answer.');
    }
  };
  const testRelay = async () => {
    try {
      const r = await props.gate.relayTest(pin);
      setRelay(`Relay pulsed at ${clockWithZone(r.pulsed_at, props.status?.time_zone)}`);
    } catch (err) {
      setRelay(err instanceof Error ? err.message : 'relay test failed');
    }
  };

  return (
    <div class="overlay" role="dialog" aria-modal="true" aria-labelledby="supervisor-title">
      <section id="supervisor" class="panel">
        <header class="panel-head">
          <h2 id="supervisor-title">Supervisor</h2>
          <button type="button" id="supervisor-close" onClick={props.onClose}>
            Close
          </button>
        </header>
        {!unlocked ? (
          <form id="pin-form" onSubmit={(e) => void unlock(e)} autocomplete="off">
            <label for="pin">PIN</label>
            <input id="pin" type="password" inputMode="numeric" value={pin} onInput={(e) => setPin(e.currentTarget.value)} />
            <button type="submit">Unlock</button>
            {message ? (
              <p id="pin-error" class="error" role="alert">
                {message}
              </p>
            ) : null}
          </form>
        ) : (
          <div class="panel-body">
            <SupervisorCounts status={props.status} now={props.now} />
            <div class="panel-col">
              <h3>Scanners</h3>
              <ul id="scanners">
                {unlocked.scanners.map((s) => (
                  <li key={s.id}>
                    {s.id}: {s.state}
                    {s.detail ? ` (${s.detail})` : ''}
                  </li>
                ))}
                {unlocked.scanners.length === 0 ? <li>keyboard-wedge and camera only</li> : null}
              </ul>
              <h3>Turnstile</h3>
              <button type="button" id="relay-test" disabled={!unlocked.relay} onClick={() => void testRelay()}>
                {unlocked.relay ? 'Test relay' : 'No relay on this gate'}
              </button>
              {relay ? <p id="relay-result">{relay}</p> : null}
              <h3>Settings</h3>
              <label class="check">
                <input
                  id="sound-enabled"
                  type="checkbox"
                  checked={props.prefs.sound.enabled}
                  onChange={(e) => props.onPrefs({ ...props.prefs, sound: { ...props.prefs.sound, enabled: e.currentTarget.checked } })}
                />
                Sound
              </label>
              <label class="check">
                Volume
                <input
                  id="sound-volume"
                  type="range"
                  min="0"
                  max="1"
                  step="0.1"
                  value={props.prefs.sound.volume}
                  onInput={(e) => props.onPrefs({ ...props.prefs, sound: { ...props.prefs.sound, volume: Number(e.currentTarget.value) } })}
                />
              </label>
              <div class="sound-tests" role="group" aria-label="Test sounds">
                <span>Test:</span>
                {(['admit', 'refuse', 'redirect', 'refresh'] as const).map((k) => (
                  <button type="button" key={k} onClick={() => props.onTestSound(k)}>
                    {k}
                  </button>
                ))}
              </div>
              <label class="check">
                <input
                  id="camera-at-start"
                  type="checkbox"
                  checked={props.prefs.cameraAtStart}
                  onChange={(e) => props.onPrefs({ ...props.prefs, cameraAtStart: e.currentTarget.checked })}
                />
                Camera on at start
              </label>
            </div>
          </div>
        )}
      </section>
    </div>
  );
}

function SupervisorCounts(props: { status: GateStatus | null; now: number }) {
  const s = props.status;
  if (!s) return <p>No status from the engine.</p>;
  return (
    <div class="panel-col">
      <h3>Scans at this gate</h3>
      <table id="supervisor-counts">
        <tbody>
          {SCAN_RESULTS.map((r) => (
            <tr key={r}>
              <th scope="row">{RESULT_IN_WORDS[r]}</th>
              <td>{s.counts[r] ?? 0}</td>
            </tr>
          ))}
          <tr>
            <th scope="row">all scans</th>
            <td>{s.total_scans}</td>
          </tr>
          <tr>
            <th scope="row">waiting to upload</th>
            <td>{s.backlog}</td>
          </tr>
          <tr>
            <th scope="row">refused by the server</th>
            <td>{s.rejected_uploads}</td>
          </tr>
        </tbody>
      </table>
      <p>Last sync {sinceInWords(s.last_sync_at, props.now)}</p>
      <h3>Events</h3>
      <ul>
        {s.events.every((e) => !e.listed) ? <li>no current events</li> : null}
        {s.events
          .filter((e) => e.listed)
          .map((e) => (
            <li key={e.event_id}>
              {e.name}: {e.admitted} of {e.sold} in
            </li>
          ))}
      </ul>
    </div>
  );
}

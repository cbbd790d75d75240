// process: renderer
// Entry of the kiosk UI (Preact). Scans arrive as keyboard-wedge bursts (any
// focused element), through the manual field, or from the optional camera;
// scans of the engine's own scanners show up in the last-scans list and counts.
import { render } from 'preact';
import { WedgeDecoder } from '@ticketgate/hardware/wedge';
import { Kiosk } from './components/kiosk.js';
import { GateClient, launchToken } from './gate-client.js';
import { loadPrefs, savePrefs } from './settings.js';
import { VerdictSound } from './sound.js';

const params = new URLSearchParams(location.search);
const gate = new GateClient(params.get('api') ?? location.origin, launchToken(window as Parameters<typeof launchToken>[0], document));
const prefs = loadPrefs(localStorage, params);
let current = prefs;
const sound = new VerdictSound(() => current.sound);
const wedge = new WedgeDecoder({ terminator: 'Enter', maxGapMs: 50, minLength: 16 });
let onWedge: (text: string) => void = () => {};
let tickTimer: ReturnType<typeof setTimeout> | undefined;

function handle(outputs: ReturnType<WedgeDecoder['push']>): void {
  for (const o of outputs) if (o.type === 'scan') onWedge(o.text);
}

document.addEventListener(
  'keydown',
  (e) => {
    const outputs = wedge.push({ key: e.key, at: e.timeStamp });
    // A scanner burst must not end up typed into a field or submit a form.
    if (e.key === 'Enter' && outputs.some((o) => o.type === 'scan')) {
      e.preventDefault();
      if (e.target instanceof HTMLInputElement && e.target.type !== 'checkbox') e.target.value = '';
    }
    handle(outputs);
    // With a terminator the next key or the terminator ends a burst; the idle
    // timer is only needed for scanners that send no suffix.
    if (wedge.options.terminator !== null) return;
    clearTimeout(tickTimer);
    const dl = wedge.deadline();
    if (dl !== null) tickTimer = setTimeout(() => handle(wedge.tick(performance.now())), Math.max(0, dl - performance.now()) + 1);
  },
  true,
);

render(
  <Kiosk
    gate={gate}
    sound={sound}
    prefs={prefs}
    verdictMs={Number(params.get('verdict_ms')) || 4000}
    onPrefs={(p) => {
      current = p;
      savePrefs(localStorage, p);
    }}
    onWedge={(h) => (onWedge = h)}
  />,
  document.getElementById('root')!,
);

// process: renderer
// Entry of the kiosk UI. Scans arrive as keyboard-wedge bursts (any focused
// element), through the manual field, from the optional camera, or straight
// from the engine's own scanners (those verdicts are pushed by the engine and
// shown via polling).
import { WedgeDecoder } from '@ticketgate/hardware/wedge';
import { mountCamera } from './camera.js';
import { GateClient, launchToken, TokenRefusedError } from './gate-client.js';
import { showOffline, showStatus, showVerdict } from './view.js';

const params = new URLSearchParams(location.search);
const apiBase = params.get('api') ?? location.origin;
const gate = new GateClient(apiBase, launchToken(window as Parameters<typeof launchToken>[0], document));
const wedge = new WedgeDecoder({ terminator: 'Enter', maxGapMs: 50, minLength: 16 });
const RESET_AFTER_MS = 4000;
let resetTimer: ReturnType<typeof setTimeout> | undefined;
let tickTimer: ReturnType<typeof setTimeout> | undefined;

async function submit(payload: string, source: string): Promise<void> {
  try {
    showVerdict(await gate.scan(payload, source));
  } catch {
    showVerdict({ result: 'ERROR', message: 'Gate engine unreachable — scan again' });
  }
  clearTimeout(resetTimer);
  resetTimer = setTimeout(() => showVerdict({ result: 'READY', message: 'Ready to scan' }), RESET_AFTER_MS);
}

function handle(outputs: ReturnType<WedgeDecoder['push']>): void {
  for (const o of outputs) if (o.type === 'scan') void submit(o.text, 'wedge');
}

const manual = document.getElementById('manual-input') as HTMLInputElement;

document.addEventListener(
  'keydown',
  (e) => {
    const outputs = wedge.push({ key: e.key, at: e.timeStamp });
    // A scanner burst must not end up typed into the manual field.
    if (e.key === 'Enter' && outputs.some((o) => o.type === 'scan')) {
      e.preventDefault();
      manual.value = '';
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

document.getElementById('manual')!.addEventListener('submit', (e) => {
  e.preventDefault();
  const text = manual.value.trim();
  manual.value = '';
  if (text) void submit(text, 'manual');
});

mountCamera({ onScan: (text) => void submit(text, 'camera'), autoStart: params.get('camera') === '1' });

async function pollStatus(): Promise<void> {
  try {
    showStatus(await gate.status());
  } catch (err) {
    showOffline();
    // The engine restarted with a new launch token: a fresh page carries it.
    if (err instanceof TokenRefusedError) {
      setTimeout(() => location.reload(), 2000);
      return;
    }
  }
  setTimeout(() => void pollStatus(), 2000);
}
void pollStatus();

// process: renderer
// Kiosk settings a supervisor changes on the spot (sound, camera at start),
// kept in the page's storage on this gate. The URL can override them at start
// (`?sound=0`, `?camera=1`), which is how an appliance's launcher sets defaults.
import type { SoundSettings } from './sound.js';

export interface KioskPrefs {
  sound: SoundSettings;
  cameraAtStart: boolean;
}

const KEY = 'ticketgate.kiosk.prefs';
const DEFAULTS: KioskPrefs = { sound: { enabled: true, volume: 0.6 }, cameraAtStart: false };

export function loadPrefs(storage: Storage, params: URLSearchParams): KioskPrefs {
  let saved: Partial<KioskPrefs> = {};
  try {
    saved = JSON.parse(storage.getItem(KEY) ?? '{}') as Partial<KioskPrefs>;
  } catch {
    // A damaged entry falls back to the defaults rather than breaking the kiosk.
  }
  const prefs: KioskPrefs = {
    sound: { ...DEFAULTS.sound, ...saved.sound },
    cameraAtStart: saved.cameraAtStart ?? DEFAULTS.cameraAtStart,
  };
  prefs.sound.volume = Math.min(1, Math.max(0, Number(prefs.sound.volume) || 0));
  if (params.get('sound') === '0') prefs.sound.enabled = false;
  if (params.get('camera') === '1') prefs.cameraAtStart = true;
  return prefs;
}

export function savePrefs(storage: Storage, prefs: KioskPrefs): void {
  storage.setItem(KEY, JSON.stringify(prefs));
}

// process: renderer
// One tone pattern per class of verdict (admit, refuse, redirect, refresh), made
// with WebAudio so the kiosk needs no sound files. A steward who looks away
// still hears which kind of verdict it was.
import type { SoundClass } from '@ticketgate/ui';

interface Tone {
  hz: number;
  ms: number;
  wave: OscillatorType;
}

/** Rising for admit, low and repeated for refuse, up-down for redirect, two even beeps for refresh. */
export const PATTERNS: Record<SoundClass, Tone[]> = {
  admit: [
    { hz: 880, ms: 110, wave: 'sine' },
    { hz: 1320, ms: 170, wave: 'sine' },
  ],
  refuse: [
    { hz: 220, ms: 170, wave: 'square' },
    { hz: 0, ms: 60, wave: 'square' },
    { hz: 220, ms: 170, wave: 'square' },
    { hz: 0, ms: 60, wave: 'square' },
    { hz: 220, ms: 170, wave: 'square' },
  ],
  redirect: [
    { hz: 660, ms: 140, wave: 'triangle' },
    { hz: 440, ms: 140, wave: 'triangle' },
    { hz: 660, ms: 140, wave: 'triangle' },
  ],
  refresh: [
    { hz: 520, ms: 140, wave: 'sine' },
    { hz: 0, ms: 90, wave: 'sine' },
    { hz: 520, ms: 140, wave: 'sine' },
  ],
};

export interface SoundSettings {
  enabled: boolean;
  /** 0–1 */
  volume: number;
}

export class VerdictSound {
  private ctx: AudioContext | null = null;

  constructor(private readonly settings: () => SoundSettings) {}

  play(kind: SoundClass): void {
    const { enabled, volume } = this.settings();
    if (!enabled || volume <= 0 || typeof AudioContext === 'undefined') return;
    this.ctx ??= new AudioContext();
    const ctx = this.ctx;
    // A kiosk started without a user gesture may begin suspended; resuming costs nothing when it is not.
    void ctx.resume().catch(() => undefined);
    let at = ctx.currentTime + 0.01;
    for (const tone of PATTERNS[kind]) {
      const seconds = tone.ms / 1000;
      if (tone.hz > 0) {
        const osc = ctx.createOscillator();
        const gain = ctx.createGain();
        osc.type = tone.wave;
        osc.frequency.value = tone.hz;
        // Short ramps: no click at the start or end of a tone.
        gain.gain.setValueAtTime(0, at);
        gain.gain.linearRampToValueAtTime(volume, at + 0.01);
        gain.gain.setValueAtTime(volume, at + seconds - 0.02);
        gain.gain.linearRampToValueAtTime(0, at + seconds);
        osc.connect(gain).connect(ctx.destination);
        osc.start(at);
        osc.stop(at + seconds);
      }
      at += seconds;
    }
  }
}

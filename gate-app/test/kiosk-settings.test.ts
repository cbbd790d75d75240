// The Electron main process's settings (no Electron needed: settings.ts has no Electron imports).
import { describe, expect, it } from 'vitest';
import { kioskSettings } from '../src/main/settings.js';

describe('kiosk settings', () => {
  it('starts its own engine on loopback with the data folder under userData by default', () => {
    const s = kioskSettings([], {}, '/home/kiosk/.config/TicketGate');
    expect(s).toEqual({
      engineUrl: 'http://127.0.0.1:8100',
      dataDir: '/home/kiosk/.config/TicketGate/gate',
      engineArgs: ['--data', '/home/kiosk/.config/TicketGate/gate', '--http', '127.0.0.1:8100'],
      startEngine: true,
      fullscreen: true,
    });
  });

  it('passes enrolment and hardware to the engine, from flags or the environment', () => {
    const s = kioskSettings(
      ['--server', 'https://sync.example', '--enrol', 'ABC123', '--windowed'],
      { TICKETGATE_HARDWARE: '/etc/tg/hw.json', TICKETGATE_GATE_PORT: '9000' },
      '/u',
    );
    expect(s.engineArgs).toEqual([
      '--data',
      '/u/gate',
      '--http',
      '127.0.0.1:9000',
      '--server',
      'https://sync.example',
      '--enrol',
      'ABC123',
      '--hardware',
      '/etc/tg/hw.json',
    ]);
    expect(s.engineUrl).toBe('http://127.0.0.1:9000');
    expect(s.fullscreen).toBe(false);
  });

  it('attaches to an engine that already runs instead of starting one', () => {
    const s = kioskSettings(['--engine-url', 'http://127.0.0.1:8200/'], {}, '/u');
    expect(s.startEngine).toBe(false);
    expect(s.engineUrl).toBe('http://127.0.0.1:8200');
  });

  it('asks the engine to keep no holder names when told to', () => {
    expect(kioskSettings(['--hide-holder-names'], {}, '/u').engineArgs).toContain('--hide-holder-names');
    expect(kioskSettings([], { TICKETGATE_HIDE_HOLDER_NAMES: '1' }, '/u').engineArgs).toContain('--hide-holder-names');
    expect(kioskSettings([], {}, '/u').engineArgs).not.toContain('--hide-holder-names');
  });
});

// process: engine
import { createHash, timingSafeEqual } from 'node:crypto';
import type { TurnstileOutput } from './turnstile.js';

/** Wrong PINs in a row before the supervisor view locks, and for how long. */
export const PIN_ATTEMPTS = 5;
export const PIN_LOCK_MS = 60_000;

export type PinCheck = 'ok' | 'refused' | 'locked' | 'no_pin';

export interface ScannerState {
  id: string;
  state: string;
  detail: string | null;
}

export interface SupervisorOptions {
  /** From the environment (TICKETGATE_SUPERVISOR_PIN); without one the supervisor view stays shut. */
  pin: string | undefined;
  now: () => number;
  /** The turnstile relay, when this gate drives one. */
  relay?: TurnstileOutput | undefined;
  scanners?: () => ScannerState[];
}

const digest = (pin: string) => createHash('sha256').update(pin).digest();

/**
 * The supervisor's desk on a kiosk: a PIN in front of the counts, the scanners,
 * the relay test and the settings. Guessing is slowed by a lock after
 * PIN_ATTEMPTS wrong PINs; the comparison takes the same time for every PIN.
 */
export class SupervisorDesk {
  private readonly pin: Buffer | undefined;
  private failures = 0;
  private lockedUntil = 0;

  constructor(private readonly opts: SupervisorOptions) {
    this.pin = opts.pin ? digest(opts.pin) : undefined;
  }

  /** The one decision on a PIN. */
  check(pin: string): PinCheck {
    if (!this.pin) return 'no_pin';
    const now = this.opts.now();
    if (now < this.lockedUntil) return 'locked';
    if (timingSafeEqual(digest(pin), this.pin)) {
      this.failures = 0;
      return 'ok';
    }
    if (++this.failures >= PIN_ATTEMPTS) {
      this.failures = 0;
      this.lockedUntil = now + PIN_LOCK_MS;
      return 'locked';
    }
    return 'refused';
  }

  hasRelay(): boolean {
    return this.opts.relay !== undefined;
  }

  scanners(): ScannerState[] {
    return this.opts.scanners?.() ?? [];
  }

  /** Pulses the relay once, as a SUCCESS would. */
  async relayTest(): Promise<number> {
    if (!this.opts.relay) throw new Error('this gate drives no turnstile relay');
    await this.opts.relay.pulse();
    return this.opts.now();
  }
}

import { EventEmitter } from 'node:events';

export interface PassageEvents {
  /** Someone went through the turnstile. */
  passage: [];
  problem: [message: string];
}

/**
 * Tells the gate that someone actually went through after the turnstile was
 * unlocked: a serial line, a GPIO input or an HID input report. The gate waits
 * for one passage per pulse and annuls the admission when none comes in time.
 */
export interface PassageSensor {
  readonly id: string;
  readonly kind: string;
  start(): Promise<void>;
  close(): Promise<void>;
  on<K extends keyof PassageEvents>(event: K, listener: (...args: PassageEvents[K]) => void): this;
  off<K extends keyof PassageEvents>(event: K, listener: (...args: PassageEvents[K]) => void): this;
}

export abstract class BasePassageSensor extends EventEmitter<PassageEvents> implements PassageSensor {
  abstract readonly kind: string;
  constructor(readonly id: string) {
    super();
  }
  abstract start(): Promise<void>;
  abstract close(): Promise<void>;
  protected passed(): void {
    this.emit('passage');
  }
  protected problem(message: string): void {
    this.emit('problem', `${this.id}: ${message}`);
  }
}

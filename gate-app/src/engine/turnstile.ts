// process: engine
import type { ScanVerdict } from './verify/scan-desk.js';

/** Whatever opens the gate: a relay on a serial line, a GPIO, a simulator. */
export interface TurnstileOutput {
  pulse(): Promise<void> | void;
}

/**
 * Opens the turnstile on SUCCESS and on nothing else. A failing output is
 * reported, never thrown: the verdict stands and staff can open by hand.
 */
export function wireTurnstile(
  source: { on(event: 'verdict', fn: (v: ScanVerdict) => void): unknown },
  output: TurnstileOutput,
  onProblem: (message: string) => void,
): void {
  source.on('verdict', (v) => {
    if (v.result !== 'SUCCESS') return;
    try {
      void Promise.resolve(output.pulse()).catch((err: unknown) => onProblem(`turnstile: ${(err as Error).message}`));
    } catch (err) {
      onProblem(`turnstile: ${(err as Error).message}`);
    }
  });
}

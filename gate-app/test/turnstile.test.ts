import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { wireTurnstile, type ScanVerdict } from '../src/engine/index.js';

describe('turnstile wiring', () => {
  it('pulses on SUCCESS only, and reports a failing output without throwing', async () => {
    const source = new EventEmitter<{ verdict: [ScanVerdict] }>();
    let pulses = 0;
    let fail = false;
    const problems: string[] = [];
    wireTurnstile(
      source,
      {
        pulse: async () => {
          if (fail) throw new Error('relay unplugged');
          pulses++;
        },
      },
      (m) => problems.push(m),
    );
    const verdict = (result: ScanVerdict['result']) => ({ result }) as ScanVerdict;
    for (const r of ['DUPLICATE', 'UNPAID', 'NOT_FOUND', 'WRONG_HALL', 'EXPIRED', 'QR_INVALID', 'SUCCESS'] as const)
      source.emit('verdict', verdict(r));
    await new Promise((r) => setImmediate(r));
    expect(pulses).toBe(1);
    fail = true;
    source.emit('verdict', verdict('SUCCESS'));
    await new Promise((r) => setImmediate(r));
    expect(problems).toEqual(['turnstile: relay unplugged']);
  });
});

import type { Scan, Scanner, ScannerStatus } from '../src/scanner.js';

export const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Deterministic Base32 text of the length of a ticket credential (~260 chars). */
export function ticketText(seed: number, length = 260): string {
  let x = seed >>> 0 || 1;
  let s = '';
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    s += BASE32[(x >>> 0) % 32];
  }
  return s;
}

export function collectScans(scanner: Scanner): Scan[] {
  const scans: Scan[] = [];
  scanner.on('scan', (s) => scans.push(s));
  return scans;
}

export function collectProblems(scanner: Scanner): string[] {
  const problems: string[] = [];
  scanner.on('problem', (p) => problems.push(p));
  return problems;
}

export async function waitFor(cond: () => boolean, timeoutMs = 5_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export function waitForStatus(scanner: Scanner, status: ScannerStatus, timeoutMs = 5_000): Promise<void> {
  return waitFor(() => scanner.status() === status, timeoutMs, `status ${status} (now ${scanner.status()}: ${scanner.statusDetail()})`);
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

// process: engine
import type { sync } from '@ticketgate/protocol';

/** A refusal stays on the kiosk and in the device view this long after the last one. */
export const INTEGRITY_ALERT_MS = 5 * 60_000;

/** Sync data that failed verification (signature, binding, key chain): refused, never applied. */
export class IntegrityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IntegrityError';
  }
}

export interface IntegritySnapshot {
  state: sync.SyncIntegrity;
  message: string | null;
  at: number | null;
  refusals: number;
}

/**
 * What the gate thinks of the data it has been sent: `refused` for a while
 * after any reply or stream message failed verification, so the steward sees
 * "sync refused: integrity" and operators see it in the device view (the next
 * upload carries it). Refused data is never applied: the gate keeps deciding
 * on its last good snapshot.
 */
export class IntegrityMonitor {
  private last: { at: number; message: string } | null = null;
  private refusals = 0;
  private reported: string | null = null;
  private listeners = new Set<(s: IntegritySnapshot) => void>();

  constructor(private readonly now: () => number) {}

  refused(message: string): void {
    const wasOk = this.snapshot().state === 'ok';
    this.last = { at: this.now(), message };
    this.refusals++;
    // Listeners (the upload that reports it) hear of a change of state, not of every repeat: no hot loop under attack.
    if (wasOk) for (const fn of this.listeners) fn(this.snapshot());
  }

  snapshot(): IntegritySnapshot {
    const l = this.last;
    const refused = l !== null && this.now() - l.at < INTEGRITY_ALERT_MS;
    return { state: refused ? 'refused' : 'ok', message: refused ? l.message : null, at: l?.at ?? null, refusals: this.refusals };
  }

  onChange(fn: (s: IntegritySnapshot) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** The report for the next upload; `due` when the server has not heard this state yet. */
  report(): { payload: NonNullable<sync.ScanUploadRequest['sync_integrity']>; due: boolean; key: string } {
    const s = this.snapshot();
    const key = `${s.state}:${s.message ?? ''}`;
    const payload = {
      state: s.state,
      message: s.message ? s.message.slice(0, 300) : null,
      at: s.at === null ? null : new Date(s.at).toISOString(),
    };
    return { payload, due: key !== this.reported && (s.state === 'refused' || this.reported !== null), key };
  }

  markReported(key: string): void {
    this.reported = key;
  }
}

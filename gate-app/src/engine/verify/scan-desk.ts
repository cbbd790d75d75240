// process: engine
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { normaliseScan, type CredentialVerifier } from '@ticketgate/crypto';
import type { sync } from '@ticketgate/protocol';
import type { GateStore } from '../store/gate-store.js';
import { decide, type Decision } from './decide.js';

export interface ScanVerdict extends Decision {
  clientScanId: string;
  /** Device clock at the scan (ms). */
  deviceTime: number;
  clockOffsetMs: number;
  /** Corrected (server) time of the scan (ms). */
  scannedAt: number;
  source: string;
}

export interface ScanDeskOptions {
  store: GateStore;
  verifier: CredentialVerifier;
  hallId: () => string;
  /** This gate as written on its admissions: `admitted_by` name and device id. */
  gate: () => { name: string; deviceId: string | null };
  clock: { device(): number; offset(): number };
  timeZone?: string;
  /** Most scans committed together (group commit). */
  maxGroup?: number;
  /** The direction of scans that do not say theirs (the gate's `--direction`); entry by default. */
  direction?: sync.Direction;
}

interface Queued {
  text: string;
  source: string;
  direction: sync.Direction;
  resolve(v: ScanVerdict): void;
  reject(e: unknown): void;
}

/**
 * Verifies and records scans. Each scan's check, its scan row and (on SUCCESS)
 * the seat's local CHECKED_IN are one SQLite transaction, committed with
 * synchronous=FULL before the verdict is returned: a verdict shown is a verdict
 * on disk, and two scans of one ticket can never both succeed, even from two
 * processes on the same file (BEGIN IMMEDIATE serialises them).
 *
 * Scans arriving together (several scanners, the HTTP API) share one commit —
 * group commit — so throughput is not capped at one disk sync per scan while
 * each scan still waits for the sync that covers it.
 */
export class ScanDesk extends EventEmitter<{ verdict: [ScanVerdict]; annulled: [ScanVerdict] }> {
  private queue: Queued[] = [];
  private scheduled = false;
  private readonly maxGroup: number;
  private readonly commitGroup: (items: Queued[]) => ScanVerdict[];
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly opts: ScanDeskOptions) {
    super();
    this.maxGroup = opts.maxGroup ?? 256;
    const tx = opts.store.db.transaction((items: Queued[]) => items.map((q) => this.record(q.text, q.source, q.direction)));
    this.commitGroup = (items) => tx.immediate(items);
  }

  scan(text: string, source = 'api', direction: sync.Direction = this.opts.direction ?? 'entry'): Promise<ScanVerdict> {
    return new Promise((resolve, reject) => {
      this.queue.push({ text, source, direction, resolve, reject });
      this.schedule();
    });
  }

  /**
   * Annuls a passage that did not happen (the turnstile opened, nobody went
   * through): the scan is marked annulled — uploaded again with its annulment
   * if it was already uploaded — and, if it was the seat's admission here, the
   * seat is admissible again; all in one transaction. False when the scan is
   * not an admission or exit, or already annulled.
   */
  annul(v: ScanVerdict): boolean {
    const { store } = this.opts;
    const done = store.db
      .transaction(() => {
        const row = store.scans.annul(v.clientScanId, this.opts.clock.device() + Math.round(this.opts.clock.offset()));
        if (!row) return false;
        if (row.result === 'SUCCESS' && row.seat_id) store.catalog.unadmit(row.seat_id, v.scannedAt, this.opts.gate().deviceId);
        return true;
      })
      .immediate();
    if (done) this.emit('annulled', v);
    return done;
  }

  /** Resolves once every queued scan is committed (shutdown). */
  drain(): Promise<void> {
    if (this.queue.length === 0 && !this.scheduled) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // setImmediate, not a microtask: requests that arrived in the same I/O poll join the group.
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    const group = this.queue.splice(0, this.maxGroup);
    if (this.queue.length) this.schedule();
    let verdicts: ScanVerdict[];
    try {
      verdicts = this.commitGroup(group);
    } catch (err) {
      // Nothing of the group was recorded (rolled back): no verdict, no turnstile.
      for (const q of group) q.reject(err);
      this.notifyIdle();
      return;
    }
    group.forEach((q, i) => q.resolve(verdicts[i]!));
    for (const v of verdicts) this.emit('verdict', v);
    this.notifyIdle();
  }

  private notifyIdle(): void {
    if (this.queue.length || this.scheduled) return;
    for (const w of this.idleWaiters.splice(0)) w();
  }

  /** One scan inside the group's transaction. */
  private record(text: string, source: string, direction: sync.Direction): ScanVerdict {
    const { store, verifier, clock } = this.opts;
    const deviceTime = clock.device();
    const clockOffsetMs = Math.round(clock.offset());
    const scannedAt = deviceTime + clockOffsetMs;
    const gate = this.opts.gate();
    const decision = decide(
      verifier.verify(text, scannedAt),
      {
        hallId: this.opts.hallId(),
        deviceId: gate.deviceId,
        seat: (id) => store.catalog.seat(id),
        event: (id) => store.catalog.event(id),
        movements: (id) => store.scans.movements(id),
        peerMovements: (id) => (gate.deviceId ? store.mesh.peerMovements(id, gate.deviceId) : []),
        ...(this.opts.timeZone ? { timeZone: this.opts.timeZone } : {}),
      },
      { at: scannedAt, direction },
    );
    const clientScanId = randomUUID();
    let entryNo: number | null = null;
    if (decision.result === 'SUCCESS') {
      const seat = decision.seat!;
      // The unique (seat, entry number) index refuses a second process deciding the same entry.
      entryNo = store.scans.movements(seat.seat_id).filter((m) => m.direction === 'entry').length + 1;
    }
    // A re-entry (or a new day) is counted in the journal; the seat keeps its first admission.
    if (decision.result === 'SUCCESS' && !decision.reEntry) {
      const seat = decision.seat!;
      if (!store.catalog.admitLocally(seat.seat_id, scannedAt, gate)) {
        throw new Error(`seat ${seat.seat_id} changed under the scan transaction`);
      }
      decision.seat = {
        ...seat,
        status: 'CHECKED_IN',
        admitted_at: scannedAt,
        admitted_by: gate.name,
        admitted_device: gate.deviceId,
        admitted_source: 'local',
      };
    }
    const c = decision.claims;
    store.scans.insert({
      clientScanId,
      deviceTime,
      clockOffsetMs,
      source,
      result: decision.result,
      reason: decision.reason,
      eventId: decision.seat?.event_id ?? decision.event?.event_id ?? c?.eventId ?? null,
      seatId: decision.seat?.seat_id ?? c?.seatId ?? null,
      generation: c?.generation ?? null,
      hallId: decision.correctHall ?? c?.hallCode ?? null,
      // The proof the server asks of an admission (docs/sync-protocol.md), and the mesh of an exit (docs/mesh.md):
      // the code as scanned, nothing for a refusal.
      credential: decision.result === 'SUCCESS' || decision.result === 'EXITED' ? normaliseScan(text) : null,
      direction,
      zone: decision.zone,
      entryNo,
    });
    return { ...decision, clientScanId, deviceTime, clockOffsetMs, scannedAt, source };
  }
}

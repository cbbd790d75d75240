// process: engine
import { sync } from '@ticketgate/protocol';
import type { z } from 'zod';
import type { GateStore } from '../store/gate-store.js';
import type { ScanRow } from '../store/scan-repo.js';
import type { ApiClient } from './api-client.js';
import type { GateClock } from './clock.js';
import { recheckLostAdmission } from './conflict-recheck.js';
import type { IntegrityMonitor } from './integrity.js';

export const MAX_BATCH = 500;

export interface PushReport {
  sent: number;
  accepted: number;
  conflicts: number;
  newConflicts: number;
  rejected: number;
  /** Accepted admissions queued again by the reply-side re-check. */
  requeued: number;
  remaining: number;
}

export function toUploadedScan(r: ScanRow): sync.UploadedScan {
  return {
    client_scan_id: r.client_scan_id,
    event_id: r.event_id,
    seat_id: r.seat_id,
    generation: r.generation,
    hall_id: r.hall_id,
    result: r.result,
    reason: r.reason === null ? null : r.reason.slice(0, 200),
    scanned_at: new Date(r.device_time + r.clock_offset_ms).toISOString(),
    credential: r.result === 'SUCCESS' ? r.credential : null,
    direction: r.direction,
    annulled_at: r.annulled_at === null ? null : new Date(r.annulled_at).toISOString(),
  };
}

/**
 * Uploads pending scans in batches, oldest first. Uploads are idempotent on the
 * client scan id, so a batch whose reply was lost is simply sent again; the
 * reply is applied in one transaction (uploaded marks, conflicts, canonical
 * admissions), so a crash between the two never loses or doubles anything.
 */
export class Pusher {
  /** Admissions re-sent after a reply (see settle): once each per process, so a stale view can never loop. */
  private readonly rechecked = new Set<string>();

  constructor(
    private readonly api: ApiClient,
    private readonly store: GateStore,
    private readonly clock: GateClock,
    private readonly integrity: IntegrityMonitor,
  ) {}

  async once(signal?: AbortSignal): Promise<PushReport> {
    const { store } = this;
    const batch = store.scans.pending(MAX_BATCH);
    const report = this.integrity.report();
    // No scans: an empty batch still goes up when the server has not heard the gate's integrity state.
    if (batch.length === 0 && !report.due)
      return { sent: 0, accepted: 0, conflicts: 0, newConflicts: 0, rejected: 0, requeued: 0, remaining: 0 };
    const total = store.scans.pendingCount();
    const body: z.input<typeof sync.ScanUploadRequest> = {
      version: sync.SCAN_UPLOAD_VERSION,
      scans: batch.map(toUploadedScan),
      backlog: Math.max(0, total - batch.length),
      clock_offset_ms: this.clock.snapshot().offsetMs,
      sync_integrity: report.payload,
    };
    const reply = await this.api.post('/api/sync/scans', {
      schema: sync.ScanUploadResponse,
      signed: { kind: 'scans' },
      body,
      ...(signal ? { signal } : {}),
    });
    this.integrity.markReported(report.key);
    if (batch.length === 0) return { sent: 0, accepted: 0, conflicts: 0, newConflicts: 0, rejected: 0, requeued: 0, remaining: 0 };
    const now = this.clock.device();
    let newConflicts = 0;
    let requeued = 0;
    store.db
      .transaction(() => {
        for (const id of reply.accepted) store.scans.markUploaded(id, now);
        for (const r of reply.rejected) store.scans.markRejected(r.client_scan_id, r.reason, now);
        for (const c of reply.conflicts) {
          const at = Date.parse(c.canonical.scanned_at);
          const fresh = store.scans.recordConflict(
            {
              clientScanId: c.client_scan_id,
              seatId: c.seat_id,
              eventId: c.canonical.event_id,
              canonicalAt: at,
              canonicalBy: c.canonical.admitted_by,
              canonicalDevice: c.canonical.device_id,
            },
            now,
          );
          if (fresh) newConflicts++;
          store.catalog.learnAdmission(c.canonical.event_id, c.seat_id, at, {
            name: c.canonical.admitted_by,
            deviceId: c.canonical.device_id,
          });
        }
        requeued = this.recheckAccepted(batch, reply);
      })
      .immediate();
    const remaining = store.scans.pendingCount();
    // Whatever the server neither stored nor refused stays pending; a batch that settles nothing would loop hot.
    const settled = new Set([...reply.accepted, ...reply.rejected.map((r) => r.client_scan_id)]);
    if (!batch.some((r) => settled.has(r.client_scan_id))) throw new Error(`the server settled none of ${batch.length} uploaded scans`);
    return {
      sent: batch.length,
      accepted: reply.accepted.length,
      conflicts: reply.conflicts.length,
      newConflicts,
      rejected: reply.rejected.length,
      requeued,
      remaining,
    };
  }

  /**
   * An admission accepted as first may already have lost by the time its reply
   * is read: another gate's earlier offline scan arrived in between, and its
   * live message (or delta) reached us before our own reply did, so the usual
   * re-check found our scan still pending. If the seat now shows an earlier
   * admission by another gate, send ours once more: the reply carries the conflict.
   */
  private recheckAccepted(batch: ScanRow[], reply: sync.ScanUploadResponse): number {
    const { store } = this;
    const accepted = new Set(reply.accepted);
    const lost = new Set(reply.conflicts.map((c) => c.client_scan_id));
    const self = store.device.get()?.device_id ?? null;
    let requeued = 0;
    for (const r of batch) {
      if (r.result !== 'SUCCESS' || !r.seat_id || !accepted.has(r.client_scan_id) || lost.has(r.client_scan_id)) continue;
      if (this.rechecked.has(r.client_scan_id)) continue;
      const seat = store.catalog.seat(r.seat_id);
      // Only a canonical admission learned from the server and earlier than ours can have beaten it.
      if (seat?.admitted_source !== 'server' || seat.admitted_at === null || seat.admitted_at >= r.device_time + r.clock_offset_ms)
        continue;
      if (recheckLostAdmission(store.scans, r.seat_id, { deviceId: seat.admitted_device }, self)) {
        this.rechecked.add(r.client_scan_id);
        requeued++;
      }
    }
    return requeued;
  }
}

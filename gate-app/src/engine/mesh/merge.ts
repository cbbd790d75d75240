// process: engine
import type { CredentialVerifier } from '@ticketgate/crypto';
import { admission, type mesh } from '@ticketgate/protocol';
import type { GateStore } from '../store/gate-store.js';
import { recheckLostAdmission } from '../sync/conflict-recheck.js';

export interface MergeReport {
  /** Records new to this gate (stored, passed on in later digests). */
  stored: number;
  /** Seats whose canonical admission changed. */
  learned: string[];
  /** Of those, seats this gate had admitted too: a double admission inside the propagation window. */
  doubles: string[];
  /** This gate's admissions queued again so the server's reply carries their conflict. */
  requeued: number;
  /** Records refused (their proof does not hold): reasons. */
  refused: string[];
}

/**
 * Why a record cannot be believed, or null. The record carries the scanned
 * credential as its proof, as uploads do: it must verify (at its scan time)
 * with this gate's keys and name the seat, event and hall the record names, so
 * a peer can pass on only admissions of real tickets of this hall.
 */
export function proofProblem(r: mesh.MeshRecord, verifier: CredentialVerifier, hallId: string): string | null {
  const s = r.scan;
  if (s.result !== 'SUCCESS' || !s.seat_id || !s.event_id) return 'not an admission';
  if (!s.credential) return 'admission without its credential';
  const at = Date.parse(s.scanned_at);
  if (!Number.isFinite(at)) return 'unreadable scan time';
  const v = verifier.verify(s.credential, at);
  if (v.status === 'invalid') return `credential does not verify: ${v.reason}`;
  if (v.claims.seatId !== s.seat_id || v.claims.eventId !== s.event_id || v.claims.hallCode !== hallId)
    return 'credential names another seat, event or hall';
  return null;
}

/**
 * Applies admission records learned from peers in ONE transaction, exactly as
 * an admission learned from the server is applied (catalog.learnAdmission, then
 * the re-send-to-learn-a-conflict rule), but only where the record wins the
 * election of the one admission rule (admission.compareAdmissions: earliest
 * scan time, then device id): a peer's word never replaces an earlier admission.
 * When this gate's own admission loses, the double admission is left to the
 * server to record as a conflict, as for any offline double admission.
 */
export function mergePeerRecords(
  store: GateStore,
  records: readonly mesh.MeshRecord[],
  deps: { verifier: CredentialVerifier; hallId: string; selfDeviceId: string; now: number },
): MergeReport {
  const report: MergeReport = { stored: 0, learned: [], doubles: [], requeued: 0, refused: [] };
  const believed = records.filter((r) => {
    const problem = proofProblem(r, deps.verifier, deps.hallId);
    if (problem) report.refused.push(`record ${r.origin}/${r.seq}: ${problem}`);
    return problem === null;
  });
  if (believed.length === 0) return report;
  const { catalog, scans, mesh: repo, db } = store;
  db.transaction(() => {
    for (const r of believed) {
      if (!repo.insert(r, deps.now)) continue;
      report.stored++;
      const s = r.scan;
      const seat = catalog.seat(s.seat_id!);
      if (!seat || seat.event_id !== s.event_id) continue;
      const candidate = { at: Date.parse(s.scanned_at), deviceId: r.origin, scanId: s.client_scan_id };
      const mine = scans.localAdmission(seat.seat_id);
      if (seat.admitted_at !== null) {
        const current = {
          at: seat.admitted_at,
          deviceId: seat.admitted_source === 'local' ? deps.selfDeviceId : seat.admitted_device,
          scanId: seat.admitted_source === 'local' ? (mine?.client_scan_id ?? '') : '',
        };
        if (admission.compareAdmissions(candidate, current) >= 0) continue;
      }
      catalog.learnAdmission(s.event_id!, seat.seat_id, candidate.at, { name: r.admitted_by, deviceId: r.origin });
      report.learned.push(seat.seat_id);
      if (mine) report.doubles.push(seat.seat_id);
      if (recheckLostAdmission(scans, seat.seat_id, { deviceId: r.origin }, deps.selfDeviceId)) report.requeued++;
    }
  }).immediate();
  return report;
}

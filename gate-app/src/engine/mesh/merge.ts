// process: engine
import type { CredentialVerifier } from '@ticketgate/crypto';
import { admission, type mesh } from '@ticketgate/protocol';
import type { GateStore } from '../store/gate-store.js';
import type { ScanRow } from '../store/scan-repo.js';
import { recheckLostAdmission } from '../sync/conflict-recheck.js';
import { toUploadedScan } from '../sync/pusher.js';

/**
 * A scan as the mesh carries it: the very record uploaded to the server, with
 * the scanned code kept for an exit too, so an exit proves itself to peers as
 * an admission does (the server's upload of an exit carries none).
 */
export function meshScanOf(row: ScanRow): mesh.MeshRecord['scan'] {
  return { ...toUploadedScan(row), credential: row.credential };
}

export interface MergeReport {
  /** Records new to this gate (stored, passed on in later digests). */
  stored: number;
  /** Seats whose canonical admission changed. */
  learned: string[];
  /** Of those, seats this gate had admitted too: a double admission inside the propagation window. */
  doubles: string[];
  /** This gate's admissions queued again so the server's reply carries their conflict. */
  requeued: number;
  /** Seats an exit at another gate was heard of (the next verdict walks it). */
  exits: string[];
  /** Seats whose canonical admission a peer annulled (nobody passed): admissible again unless another admission stands. */
  annulled: string[];
  /** Records refused (their proof does not hold): reasons. */
  refused: string[];
}

/**
 * Why a record cannot be believed, or null. The record carries the scanned
 * credential as its proof, as uploads do: it must verify (at its scan time)
 * with this gate's keys and name the seat, event and hall the record names, so
 * a peer can pass on only movements of real tickets of this hall. An exit
 * needs the same proof as an admission (it makes a seat admissible again under
 * a re-entry policy), and so does an annulment, which is the admission's
 * record once more with its annulment time.
 */
export function proofProblem(r: mesh.MeshRecord, verifier: CredentialVerifier, hallId: string): string | null {
  const s = r.scan;
  const exit = s.result === 'EXITED';
  if ((s.result !== 'SUCCESS' && !exit) || !s.seat_id || !s.event_id) return 'not an admission or an exit';
  if ((s.direction ?? 'entry') !== (exit ? 'exit' : 'entry')) return 'direction does not match the result';
  if (!s.credential) return exit ? 'exit without its credential' : 'admission without its credential';
  if (s.annulled_at && !Number.isFinite(Date.parse(s.annulled_at))) return 'unreadable annulment time';
  const at = Date.parse(s.scanned_at);
  if (!Number.isFinite(at)) return 'unreadable scan time';
  const v = verifier.verify(s.credential, at);
  if (v.status === 'invalid') return `credential does not verify: ${v.reason}`;
  if (v.claims.seatId !== s.seat_id || v.claims.eventId !== s.event_id || v.claims.hallCode !== hallId)
    return 'credential names another seat, event or hall';
  return null;
}

/**
 * Applies movement records learned from peers in ONE transaction. Exits are
 * only stored: the one admission rule walks them with the seat's other
 * movements (MeshRepo.peerMovements) at the next verdict. An annulment frees
 * the seat where the annulled admission was its canonical one, and elects the
 * next admission the gate heard of, if any. Admissions are applied exactly as
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
  const report: MergeReport = { stored: 0, learned: [], doubles: [], requeued: 0, exits: [], annulled: [], refused: [] };
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
      if (s.result === 'EXITED') {
        if (!s.annulled_at) report.exits.push(seat.seat_id);
        continue;
      }
      if (s.annulled_at) {
        if (catalog.unadmit(seat.seat_id, candidate.at, r.origin)) {
          report.annulled.push(seat.seat_id);
          electNext(store, seat, deps.selfDeviceId);
        }
        continue;
      }
      // Its annulment came first (records of two origins may cross): the admission never stood.
      if (repo.isAnnulled(s.client_scan_id)) continue;
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

/**
 * After a peer's canonical admission of a seat was annulled: the earliest
 * other admission this gate heard of from its peers (by the one election
 * order) becomes the seat's, as the server would elect it. Inside the merge's
 * transaction.
 */
function electNext(store: GateStore, seat: { seat_id: string; event_id: string }, selfDeviceId: string): void {
  const next = admission.canonicalOf(store.mesh.peerMovements(seat.seat_id, selfDeviceId).filter((m) => m.direction === 'entry'));
  if (next) store.catalog.learnAdmission(seat.event_id, seat.seat_id, next.at, { name: next.by, deviceId: next.deviceId });
}
